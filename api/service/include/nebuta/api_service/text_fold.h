// UTF-8 checks for what clients send. (Folding names for search is engine/search's.)
#pragma once

#include <string>
#include <string_view>

namespace nebuta::api_service {

// Decodes UTF-8, replacing invalid sequences by U+FFFD; true when the input was valid.
bool valid_utf8(std::string_view s);

// The text with every invalid UTF-8 sequence replaced by U+FFFD.
std::string replace_invalid_utf8(std::string_view s);

}  // namespace nebuta::api_service
