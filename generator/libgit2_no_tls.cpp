// libgit2's TLS, which gongkai never uses, set up without the system's certificate authorities.
//
// gongkai reads repositories on disk and never fetches. Debian's libgit2 1.5 is built with mbedTLS
// all the same, and git_libgit2_init() sets its TLS up in every process: it reads and parses the
// system's bundle of certificate authorities (/etc/ssl/certs/ca-certificates.crt, some 140
// certificates). That took 10 ms of CPU and 6 ms of wall time per process on the benchmark
// machine (libgit2's whole start-up: 14.1 ms of CPU, 4.3 ms without it; bench/RESULTS.md, the
// sixteenth round), more than a tenth of an incremental build of 1,000 reports.
//
// This definition, in the programs themselves, is the one libgit2 calls: the dynamic linker looks
// a name up in the program before the libraries it loads. It parses nothing and reports success,
// so libgit2's TLS holds an empty list of authorities. Were libgit2 ever asked for HTTPS in these
// programs, no server would pass its certificate check: it fails closed, never open. Where libgit2
// is built with another TLS library, nothing calls it.
//
// Linked into gongkai and gongkai-serve only, not into the core library or the tests, which keep
// libgit2 as it is (tests/integration/cli_test.cpp checks which one a program uses).
extern "C" {
struct mbedtls_x509_crt;
int mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path);
int mbedtls_x509_crt_parse_file(mbedtls_x509_crt*, const char*) { return 0; }
}
