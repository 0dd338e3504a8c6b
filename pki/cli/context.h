// What every nanbyo-pki subcommand shares: the CA directory, the clock, output.
#pragma once

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "pki/ca_paths.h"
#include "pki/certificate_authority.h"
#include "pki/clock.h"
#include "pki/result.h"
#include "pki/secret.h"

namespace nanbyo::pki::cli {

struct Context {
  std::string dir;
  std::string passphrase_file;  // --passphrase-file (passphrase_source.cpp)
  SystemClock clock;
  int exit_code = 0;

  CaPaths paths() const { return CaPaths{dir}; }
  // The CA keys' passphrase, or null when none is given (issue 13).
  Result<std::shared_ptr<const Secret>> passphrase() const;
  Result<std::unique_ptr<CertificateAuthority>> open_ca() const;
  // One line on stderr, exit status 1 (CLI usage errors exit 2).
  void report(const Error& error) {
    std::cerr << "nanbyo-pki: error: " << error.message << "\n";
    exit_code = 1;
  }
};

// Reads a secret from a file or from standard input ("-"), without the newline.
Result<std::string> read_secret(const std::string& path);

void add_ca_commands(CLI::App& app, Context& ctx);
void add_bundle_command(CLI::App& app, Context& ctx);
void add_key_commands(CLI::App& app, Context& ctx);

}  // namespace nanbyo::pki::cli
