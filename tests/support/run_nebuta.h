// Runs the built `nebuta` binary through the shell and captures its exit code and output.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "temp_dir.h"

namespace nebuta::test {

// `s` as one single-quoted /bin/sh word.
inline std::string shell_quote(std::string const& s) {
  std::string out = "'";
  for (auto const c : s) out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

struct run_result {
  int exit_code{-1};  // 128 + signal when the process was killed
  std::string out;    // stdout
  std::string err;    // stderr
};

// `args` is a shell command line after the binary's name (quote paths with shell_quote).
inline run_result run_nebuta(std::string const& args) {
  temp_dir dir{"run"};
  auto const out_file = dir.path / "stdout", err_file = dir.path / "stderr";
  auto const cmd = shell_quote(NEBUTA_BINARY_DIR "/api/nebuta") + " " + args + " >" + shell_quote(out_file.string()) +
                   " 2>" + shell_quote(err_file.string());
  auto const status = std::system(cmd.c_str());
  run_result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  r.out = read_file(out_file);
  r.err = read_file(err_file);
  return r;
}

}  // namespace nebuta::test
