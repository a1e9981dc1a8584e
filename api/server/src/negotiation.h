// Content negotiation shared by the planner and the on-demand APIs (RFC 9110 12.5.1): the
// Accept header's media ranges with their q-values decide between JSON and protobuf.
#pragma once

#include <optional>
#include <string_view>

#include "message_response.h"

namespace nebuta::api_server {

// The format to answer in, or nullopt when the client accepts neither (406). An empty Accept,
// and equal preference for both, give `preferred`. q=0 excludes a type; the most specific
// matching range decides a type's q (application/json over application/* over */*).
std::optional<format> negotiate_format(std::string_view accept, format preferred);

}  // namespace nebuta::api_server
