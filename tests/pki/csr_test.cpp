// A PC that generated its own key sends a CSR; the CA signs only a request
// whose signature verifies, and never a corrupt or tampered one.
#include <catch2/catch.hpp>

#include <openssl/pem.h>

#include "pki/atomic_file.h"
#include "pki/key_pair.h"
#include "test_support.h"

using namespace nanbyo;
using namespace nanbyo::pki;
using nanbyo::testing::TestCa;
namespace fs = std::filesystem;

namespace {

std::string make_csr_pem(KeyAlgorithm algorithm) {
  auto key = generate_key(algorithm);
  REQUIRE(key.ok());
  ossl::X509ReqPtr req(X509_REQ_new());
  X509_REQ_set_pubkey(req.get(), key->get());
  auto name = ca_subject("whatever the PC asked for");
  X509_REQ_set_subject_name(req.get(), name.get());
  REQUIRE(X509_REQ_sign(req.get(), key->get(), EVP_sha256()) > 0);
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(bio.get(), req.get());
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

Result<Issued> issue_from(TestCa& t, const std::string& csr_text) {
  fs::path csr = t.dir.path() / "pc.csr";
  REQUIRE(write_file_atomic(csr, csr_text).ok());
  ClientOptions options;
  options.identity = {"1310000001", "own-key-pc"};
  options.csr = csr;
  return t.ca->issue_client(options);
}

}  // namespace

TEST_CASE("a valid CSR is signed with the CA's subject, not the PC's", "[csr]") {
  TestCa t;
  auto issued = issue_from(t, make_csr_pem(KeyAlgorithm::EcdsaP256));
  REQUIRE(issued.ok());
  CHECK(issued->key_path.empty());
  CHECK(issued->pkcs12_path.empty());
  CHECK(fs::exists(issued->cert_path));
  CHECK_THAT(issued->record.subject, Catch::Contains("CN=own-key-pc"));
  CHECK_THAT(issued->record.subject, Catch::Contains("1310000001"));
}

TEST_CASE("corrupt or tampered CSRs are refused and nothing is written", "[csr][bad-input]") {
  TestCa t;
  auto before = testing::snapshot(t.paths.dir);

  auto garbage = issue_from(
      t, "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");
  REQUIRE_FALSE(garbage.ok());
  CHECK_THAT(garbage.error().message,
             Catch::Contains("is not a valid PEM certificate signing request"));

  auto empty = issue_from(t, "");
  REQUIRE_FALSE(empty.ok());

  // Flip one Base64 character inside the signature (the last line of the body).
  std::string pem = make_csr_pem(KeyAlgorithm::EcdsaP256);
  auto end = pem.find("-----END");
  auto pos = end - 10;
  pem[pos] = pem[pos] == 'A' ? 'B' : 'A';
  auto tampered = issue_from(t, pem);
  REQUIRE_FALSE(tampered.ok());
  CHECK_THAT(tampered.error().message, Catch::Contains("pc.csr"));

  CHECK(testing::snapshot(t.paths.dir) == before);
  auto records = t.ca->list(CertificateFilter{"1310000001", ""});
  REQUIRE(records.ok());
  CHECK(records->empty());
}
