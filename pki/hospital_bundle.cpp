#include "pki/hospital_bundle.h"

#include <sys/stat.h>

#include <map>

#include "pki/aead.h"
#include "pki/atomic_file.h"
#include "pki/encoding.h"
#include "pki/name_constraints.h"
#include "pki/names.h"

namespace nanbyo::pki {
namespace fs = std::filesystem;
namespace {

std::string anyconnect_profile(const std::string& server) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<AnyConnectProfile xmlns=\"http://schemas.xmlsoap.org/encoding/\">\n"
         "  <ClientInitialization>\n"
         "    <CertificateStore>User</CertificateStore>\n"
         "    <ProxySettings>IgnoreProxy</ProxySettings>\n"
         "  </ClientInitialization>\n"
         "  <ServerList>\n"
         "    <HostEntry>\n"
         "      <HostName>Nanbyo-Shoman DB</HostName>\n"
         "      <HostAddress>" +
         server +
         "</HostAddress>\n"
         "    </HostEntry>\n"
         "  </ServerList>\n"
         "</AnyConnectProfile>\n";
}

// openconnect --config: one long option per line, without the dashes. Without a private
// server CA, openconnect checks the gateway against the system's public roots (S-4).
std::string openconnect_config(const std::string& terminal, bool private_server_ca) {
  return "certificate pc/" + terminal + ".p12\n" +
         (private_server_ca ? "cafile server-ca.crt\n" : "");
}

// What the hospital does about the server's certificate (S-4, issue 13).
std::string server_trust_ja(bool private_server_ca) {
  if (!private_server_ca) {
    return "  (2) 接続先のサーバー証明書は公的な認証局が発行したものです。\n"
           "      ルート証明書を「信頼されたルート証明機関」へ取り込む必要はありません。\n"
           "      取り込むよう求める連絡があっても応じないでください。\n";
  }
  return "  (2) server-ca.crt は閉域網用の接続先確認用証明書です。VPNクライアントの\n"
         "      接続先確認にだけ使います (openconnect の設定ファイルが参照します)。\n"
         "      この証明書は名前制約により難病・小慢DBの接続先名以外には効力がありません。\n";
}

// What the PC reaches while connected, as the gateway's policy sets it (vpn.mode, S-6).
std::string tunnel_ja(bool full_tunnel) {
  if (full_tunnel) {
    return "  - VPN接続中は端末のすべての通信がVPNを通り、難病・小慢DB以外 (インターネットを\n"
           "    含みます) とは通信できません。IPv4もIPv6も同じです。他の用途で通信するときは\n"
           "    VPNを切断してください。切断すると、端末の通信は接続前の状態に戻ります。\n"
           "  - ただし、端末と同じネットワーク (同じサブネット) の機器とは、VPN接続中も直接\n"
           "    通信できます。これを止めるには端末のファイアウォールで設定してください。\n";
  }
  return "  - VPNを通るのは難病・小慢DB宛ての通信だけです。VPN接続中も、端末のそれ以外の通信\n"
         "    (インターネット等) はVPNを通らず、これまでどおり院内のネットワークから行われます。\n"
         "    その通信の保護は貴院のネットワークの対策によります。\n";
}

std::string readme_ja(const std::string& hospital, const std::string& server,
                      const std::vector<std::string>& terminals, bool private_server_ca,
                      bool full_tunnel) {
  std::string list;
  for (const auto& t : terminals) list += "  - pc/" + t + ".p12 (端末 " + t + ")\n";
  return "難病・小慢DB 接続用媒体 (医療機関番号 " + hospital +
         ")\n"
         "================================================\n\n"
         "この媒体には、貴院の端末が難病・小慢DBへ接続するためのファイルが入っています。\n"
         "媒体は施錠できる場所に保管し、端末への設定後は速やかに返却または消去してください。\n\n"
         "1. 内容\n" +
         list +
         (private_server_ca ? "  - server-ca.crt             : 接続先確認用の証明書 (閉域網用)\n"
                            : "") +
         "  - anyconnect-profile.xml    : AnyConnect 互換クライアント用の接続プロファイル\n"
         "  - openconnect/<端末名>.conf  : openconnect 用の設定ファイル\n"
         "  - MANIFEST.sha256           : 各ファイルのSHA-256 (改ざん確認用)\n\n"
         "2. 端末への設定\n"
         "  (1) 各端末に、その端末名の .p12 ファイルを「個人」証明書ストアへ取り込みます。\n"
         "      パスワードは本媒体とは別に通知します。媒体と同じ場所に保管しないでください。\n" +
         server_trust_ja(private_server_ca) + "  (3) VPNクライアントで接続先 " + server +
         " を指定して接続します。\n"
         "      openconnect の場合 (本媒体のフォルダで実行):\n"
         "        openconnect --config openconnect/<端末名>.conf " +
         server +
         "\n\n"
         "3. 注意事項\n"
         "  - 証明書は端末ごとに発行されています。他の端末へ複製しないでください。\n"
         "  - "
         "端末の紛失・廃棄・盗難の際は、直ちに運用事業者へ連絡してください。証明書を失効させます。"
         "\n" +
         tunnel_ja(full_tunnel);
}

}  // namespace

Result<Bundle> make_hospital_bundle(CertificateAuthority& ca, const BundleOptions& o) {
  NANBYO_TRY_VOID(validate_hospital_number(o.hospital));
  if (o.server.empty() || o.server.find_first_of(" <>&\"'\n") != std::string::npos) {
    return fail("--server must be the gateway's host[:port], got '" + o.server + "'");
  }
  const fs::path out_dir = o.out_dir.empty() ? ca.paths().bundles_dir() : o.out_dir;
  const fs::path final_dir = out_dir / o.hospital;
  std::error_code ec;
  if (fs::exists(final_dir, ec)) {
    return fail(final_dir.string() + " already exists; move it away to make a new bundle");
  }
  NANBYO_TRY(records, ca.list(CertificateFilter{o.hospital, "client"}));
  // The newest (last issued) valid, unexpired certificate per terminal with a PKCS#12.
  const std::string now = format_utc(ca.clock().now());
  std::map<std::string, CertificateRecord> newest;
  for (const auto& r : records) {
    if (r.status == "valid" && r.not_after > now && !r.pkcs12_path.empty()) newest[r.terminal] = r;
  }
  if (newest.empty()) {
    return fail("hospital " + o.hospital +
                " has no valid PC certificate with a PKCS#12 file the CA still holds; "
                "issue one with `nanbyo-pki issue client` first");
  }
  if (o.private_server_ca && !has_name_constraints(ca.root_certificate())) {
    return fail(
        "--private-server-ca: the root CA has no name constraints; a hospital must "
        "not trust it for every name (create the CA with --permit-dns/--permit-ip)");
  }

  fs::create_directories(out_dir, ec);
  std::string tmpl = (out_dir / ("." + o.hospital + ".XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) return fail("cannot create a directory in " + out_dir.string());
  const fs::path staging(tmpl);
  auto cleanup = [&] { fs::remove_all(staging, ec); };

  Bundle bundle{final_dir, {}, {}};
  std::string manifest;
  auto add = [&](const std::string& name, const std::string& content,
                 fs::perms mode) -> Result<void> {
    NANBYO_TRY_VOID(write_file_atomic(staging / name, content, mode));
    manifest += to_hex(aead::sha256(content)) + "  " + name + "\n";
    return {};
  };
  auto build = [&]() -> Result<void> {
    if (o.private_server_ca) {
      NANBYO_TRY(root, read_file(ca.paths().root_cert()));
      NANBYO_TRY_VOID(add("server-ca.crt", root, fs::perms(0644)));
    }
    for (const auto& [terminal, record] : newest) {
      NANBYO_TRY(p12, read_file(ca.paths().dir / record.pkcs12_path));  // relative or absolute
      NANBYO_TRY_VOID(add("pc/" + terminal + ".p12", p12, kOwnerOnly));
      NANBYO_TRY_VOID(add("openconnect/" + terminal + ".conf",
                          openconnect_config(terminal, o.private_server_ca), fs::perms(0644)));
      bundle.terminals.push_back(terminal);
    }
    NANBYO_TRY_VOID(add("anyconnect-profile.xml", anyconnect_profile(o.server), fs::perms(0644)));
    NANBYO_TRY_VOID(
        add("README-ja.txt",
            readme_ja(o.hospital, o.server, bundle.terminals, o.private_server_ca, o.full_tunnel),
            fs::perms(0644)));
    NANBYO_TRY_VOID(write_file_atomic(staging / "MANIFEST.sha256", manifest));
    ::chmod(staging.c_str(), 0700);
    fs::rename(staging, final_dir, ec);
    if (ec) return fail("cannot create " + final_dir.string() + ": " + ec.message());
    return {};
  };
  if (auto built = build(); !built) {
    cleanup();
    return built.error();
  }
  // The media hold the only copies now: the CA forgets the PKCS#12 files and the keys.
  for (const auto& [terminal, record] : newest) {
    const fs::path p12 = ca.paths().dir / record.pkcs12_path;
    fs::path key = p12;
    key.replace_extension(".key");
    for (const fs::path& file : {p12, key}) {
      if (fs::remove(file, ec); ec) bundle.leftovers.push_back(file.string());
    }
    NANBYO_TRY_VOID(ca.store().forget_pkcs12(record.serial));
  }
  NANBYO_TRY_VOID(ca.store().log_event(now, "bundle", "", "hospital=" + o.hospital));
  return bundle;
}

}  // namespace nanbyo::pki
