// libgit2's start-up, without the set-up of the network transports gongkai never uses.
//
// gongkai reads repositories on disk and never fetches. Debian's libgit2 1.5 is built with mbedTLS
// and libssh2 all the same, and git_libgit2_init() starts both in every process:
//
// - Its TLS reads and parses the system's bundle of certificate authorities
//   (/etc/ssl/certs/ca-certificates.crt, some 140 certificates). That took 10 ms of CPU and 6 ms
//   of wall time per process on the benchmark machine (libgit2's whole start-up: 14.1 ms of CPU,
//   4.3 ms without it; bench/RESULTS.md, the sixteenth round), more than a tenth of an
//   incremental build of 1,000 reports.
// - libssh2_init() starts libssh2's crypto library, OpenSSL's libcrypto: it loads and registers
//   OpenSSL's built-in engines. That took about 1 ms of CPU (in a trial program) and kept
//   1.4 MiB of libcrypto resident per process (bench/RESULTS.md, the seventeenth round).
//
// These definitions, in the programs themselves, are the ones libgit2 calls: the dynamic linker
// looks a name up in the program before the libraries it loads.
//
// - mbedtls_x509_crt_parse_file parses nothing and reports success, so libgit2's TLS holds an
//   empty list of authorities. Were libgit2 ever asked for HTTPS in these programs, no server
//   would pass its certificate check: it fails closed, never open.
// - libssh2_init does nothing and reports success. libssh2 calls it again itself before its first
//   session (libssh2_session_init_ex and the like), and that call comes here too, so in these
//   programs libssh2 never loads OpenSSL's engines. OpenSSL 3 sets itself up when first used,
//   so an SSH connection would most likely still work, without engines; gongkai makes none.
//   libssh2_exit, at libgit2's shutdown, finds nothing started and does nothing.
//
// Where libgit2 is built without one of them, nothing calls its definition here.
//
// Linked into gongkai and gongkai-serve only, not into the core library or the tests, which keep
// libgit2 as it is (tests/integration/cli_test.cpp checks which one a program uses).
extern "C" {
struct mbedtls_x509_crt;
int mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path);
int mbedtls_x509_crt_parse_file(mbedtls_x509_crt*, const char*) { return 0; }
int libssh2_init(int flags);
int libssh2_init(int) { return 0; }
}
