// nanbyo-pki key new | revoke | revoke-user | list | encrypt | decrypt | open
#include <nlohmann/json.hpp>

#include <iomanip>

#include "pki/atomic_file.h"
#include "pki/ca_store.h"
#include "pki/cli/context.h"
#include "pki/user_key_registry.h"

namespace nanbyo::pki::cli {
namespace {

// The registry lives in the CA database, its wrap key beside the CA keys.
template <typename F>
void with_registry(Context& ctx, F&& work) {
  auto store = CaStore::open(ctx.paths().database(), false);
  if (!store) return ctx.report(store.error());
  auto wrap = load_wrap_key(ctx.paths().user_key_wrap());
  if (!wrap) return ctx.report(wrap.error());
  auto registry = UserKeyRegistry::open(store->database(), std::move(*wrap), ctx.clock);
  if (!registry) return ctx.report(registry.error());
  work(*registry);
}

Result<UserKey> load_key_file(const std::string& path) {
  NANBYO_TRY(file, read_file(path, 4096));
  const Secret text(std::move(file));  // a key file holds the user's secret (wiped, issue 13)
  auto key = parse_key_file(text.view());
  if (!key) return fail(path + ": " + key.error().message);
  return key;
}

struct Io {
  std::string key, in, out;
};

void add_holder_commands(CLI::App& key, Context& ctx) {
  static Io enc, dec, opn;
  auto* e = key.add_subcommand("encrypt", "encrypt a file with a user key file (holder side)");
  e->add_option("--key", enc.key, "user key file")->required();
  e->add_option("--in", enc.in, "plaintext file")->required();
  e->add_option("--out", enc.out, "encrypted output")->required();
  e->callback([&ctx] {
    auto k = load_key_file(enc.key);
    if (!k) return ctx.report(k.error());
    auto data = read_file(enc.in, 256 << 20);
    if (!data) return ctx.report(data.error());
    auto sealed = seal_with_key(*k, *data, ctx.clock.now());
    if (!sealed) return ctx.report(sealed.error());
    if (auto w = write_file_atomic(enc.out, *sealed); !w) return ctx.report(w.error());
    std::cout << "encrypted " << data->size() << " bytes with key " << k->key_id << "\n";
  });

  auto* d = key.add_subcommand("decrypt", "decrypt a file with a user key file (holder side)");
  d->add_option("--key", dec.key, "user key file")->required();
  d->add_option("--in", dec.in, "encrypted file")->required();
  d->add_option("--out", dec.out, "plaintext output")->required();
  d->callback([&ctx] {
    auto k = load_key_file(dec.key);
    if (!k) return ctx.report(k.error());
    auto data = read_file(dec.in, 256 << 20);
    if (!data) return ctx.report(data.error());
    auto plain = open_with_key(*k, *data, ctx.clock.now());
    if (!plain) return ctx.report(Error{dec.in + ": " + plain.error().message});
    if (auto w = write_file_atomic(dec.out, *plain, std::filesystem::perms(0600)); !w) {
      return ctx.report(w.error());
    }
    std::cout << "decrypted " << plain->size() << " bytes\n";
  });

  auto* o =
      key.add_subcommand("open", "decrypt a user's file on the system side (checks revocation)");
  o->add_option("--in", opn.in, "encrypted file")->required();
  o->add_option("--out", opn.out, "plaintext output")->required();
  o->callback([&ctx] {
    with_registry(ctx, [&](UserKeyRegistry& registry) {
      auto data = read_file(opn.in, 256 << 20);
      if (!data) return ctx.report(data.error());
      auto plain = registry.open_sealed(*data);
      if (!plain) return ctx.report(Error{opn.in + ": " + plain.error().message});
      if (auto w = write_file_atomic(opn.out, *plain, std::filesystem::perms(0600)); !w) {
        return ctx.report(w.error());
      }
      std::cout << "opened " << plain->size() << " bytes\n";
    });
  });
}

void add_registry_commands(CLI::App& key, Context& ctx) {
  static std::string user, out, key_id, reason = "unspecified";
  static int days = 365;
  auto* n = key.add_subcommand("new", "generate a user key file (revokes the user's previous key)");
  n->add_option("--user", user, "user (login) id")->required();
  n->add_option("--days", days, "validity in days");
  n->add_option("--out", out, "key file to write (0600)")->required();
  n->callback([&ctx] {
    with_registry(ctx, [&](UserKeyRegistry& registry) {
      StagedFiles files;
      if (auto absent = files.ensure_absent(out); !absent) return ctx.report(absent.error());
      // The key file is staged before the registry commits and placed after.
      auto issued = registry.issue(user, days, [&](const UserKey& key) {
        return files.add(out, encode_key_file(key), std::filesystem::perms(0600));
      });
      if (!issued) return ctx.report(issued.error());
      if (auto placed = files.commit(); !placed) return ctx.report(placed.error());
      std::cout << "key " << issued->key_id << " for " << user << " valid until "
                << format_utc(issued->not_after) << " written to " << out << "\n";
    });
  });

  auto* r = key.add_subcommand("revoke", "revoke one user key");
  r->add_option("--key-id", key_id, "key id (32 hex)")->required();
  r->add_option("--reason", reason, "reason recorded with the revocation");
  r->callback([&ctx] {
    with_registry(ctx, [&](UserKeyRegistry& registry) {
      auto revoked = registry.revoke(key_id, reason);
      if (!revoked) return ctx.report(revoked.error());
      std::cout << "revoked key " << revoked->key_id << " of " << revoked->user_id << "\n";
    });
  });

  static std::string revoke_user;
  auto* ru = key.add_subcommand("revoke-user", "revoke every valid key of a user (ID-5, ID-6)");
  ru->add_option("--user", revoke_user, "user (login) id")->required();
  ru->add_option("--reason", reason, "reason recorded with the revocation");
  ru->callback([&ctx] {
    with_registry(ctx, [&](UserKeyRegistry& registry) {
      auto ids = registry.revoke_user(revoke_user, reason);
      if (!ids) return ctx.report(ids.error());
      std::cout << "revoked " << ids->size() << " key(s) of " << revoke_user << "\n";
    });
  });

  static bool json = false;
  static std::string list_user;
  auto* l = key.add_subcommand("list", "list user keys");
  l->add_option("--user", list_user, "only this user");
  l->add_flag("--json", json, "JSON output");
  l->callback([&ctx] {
    with_registry(ctx, [&](UserKeyRegistry& registry) {
      auto keys = registry.list(list_user);
      if (!keys) return ctx.report(keys.error());
      if (json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& k : *keys) {
          out.push_back({{"key_id", k.key_id},
                         {"user_id", k.user_id},
                         {"status", k.status},
                         {"not_before", k.not_before},
                         {"not_after", k.not_after},
                         {"revoked_at", k.revoked_at},
                         {"reason", k.reason}});
        }
        std::cout << out.dump(2) << "\n";
        return;
      }
      std::cout << std::left << std::setw(34) << "KEY ID" << std::setw(14) << "USER" << std::setw(9)
                << "STATUS"
                << "NOT AFTER\n";
      for (const auto& k : *keys) {
        std::cout << std::setw(34) << k.key_id << std::setw(14) << k.user_id << std::setw(9)
                  << k.status << k.not_after << "\n";
      }
    });
  });
}

}  // namespace

void add_key_commands(CLI::App& app, Context& ctx) {
  auto* key = app.add_subcommand("key", "per-user encryption key files (ID-4, S-9)");
  key->require_subcommand(1);
  add_registry_commands(*key, ctx);
  add_holder_commands(*key, ctx);
}

}  // namespace nanbyo::pki::cli
