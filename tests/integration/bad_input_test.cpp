// The bad-input corpus: every mistake in tests/bad/cases/*.txt, and the broken repositories that
// cannot be written down as text (built here), each run through the gongkai binary. Every case
// must end with its exit status (1 or 2; 0 for the accepted ones), never a signal or a hang, say
// what its file says in a line that names the file, and leave the output folder as it was.
#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <optional>

#include "git_repo.h"
#include "site_files.h"
#include "utf8.h"

using namespace gongkai;
using gongkai::test::CommandResult;
using gongkai::test::Files;
using gongkai::test::GitRepo;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

namespace {

// No case may take longer than this; a hang is a failure, not a stuck CI job.
constexpr int timeout_seconds = 60;

fs::path corpus_dir() {
    return fs::path(test::source_dir()) / "tests/bad";
}

// One expected line of gongkai's output: it starts with location (a path, "path:line" or
// "path:line:column", or "gongkai" for problems outside the content) and holds every text.
struct Expectation {
    std::string location;
    std::vector<std::string> texts;
};

struct Case {
    std::string name;
    std::string why;
    int exit = 1;
    std::vector<Expectation> expect;
    std::vector<std::string> remove;
    Files files;
};

std::string decode_escapes(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            char next = text[i + 1];
            if (next == 'x' && i + 3 < text.size()) {
                out += static_cast<char>(std::stoi(std::string(text.substr(i + 2, 2)), nullptr, 16));
                i += 3;
                continue;
            }
            if (next == 'r') {
                out += '\r';
                ++i;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

// UTF-8 to UTF-16 with a byte order mark, as Windows Notepad saves "Unicode" text.
std::string utf16(std::string_view utf8, bool big_endian) {
    std::u32string points;
    for (std::size_t i = 0; i < utf8.size();) {
        auto c = static_cast<unsigned char>(utf8[i]);
        int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        points.push_back(cp);
        i += len;
    }
    std::string out;
    auto unit = [&](unsigned u) {
        char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
        out += big_endian ? hi : lo;
        out += big_endian ? lo : hi;
    };
    unit(0xFEFF);
    for (char32_t cp : points) {
        if (cp >= 0x10000) {
            cp -= 0x10000;
            unit(0xD800 + (cp >> 10));
            unit(0xDC00 + (cp & 0x3FF));
        } else {
            unit(cp);
        }
    }
    return out;
}

// Reads "-- path --" sections as tests/support's parse_fixture does, with flags after the marker:
// [escaped] decodes \xNN and \r in the path and the text, [no-final-newline] drops the last line
// end, [utf-16le] and [utf-16be] save the text in that encoding.
Files parse_sections(std::string_view text, std::vector<std::string>* header) {
    Files files;
    std::string* current = nullptr;
    std::string flags;
    auto finish = [&] {
        if (!current) return;
        if (flags.find("escaped") != std::string::npos) *current = decode_escapes(*current);
        if (flags.find("no-final-newline") != std::string::npos && !current->empty()) current->pop_back();
        if (flags.find("utf-16le") != std::string::npos) *current = utf16(*current, false);
        if (flags.find("utf-16be") != std::string::npos) *current = utf16(*current, true);
    };
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.starts_with("-- ")) {
            std::size_t close = line.find(" --", 3);
            if (close != std::string_view::npos) {
                finish();
                std::string rest(line.substr(close + 3));
                flags = rest;
                std::string path(line.substr(3, close - 3));
                if (flags.find("escaped") != std::string::npos) path = decode_escapes(path);
                current = &files[path];
                current->clear();
                continue;
            }
        }
        if (current) {
            current->append(line);
            current->push_back('\n');
        } else if (header) {
            header->emplace_back(line);
        }
    }
    finish();
    return files;
}

Files base_files() {
    static const Files base = parse_sections(test::read_file(corpus_dir() / "base.txt"), nullptr);
    return base;
}

Expectation parse_expectation(const std::string& value) {
    Expectation e;
    std::size_t split = value.find(": ");
    e.location = value.substr(0, split);
    if (split != std::string::npos) e.texts.push_back(value.substr(split + 2));
    return e;
}

Case read_case(const fs::path& file) {
    Case c;
    c.name = file.stem().string();
    std::vector<std::string> header;
    Files changes = parse_sections(test::read_file(file), &header);
    for (const auto& line : header) {
        if (line.empty()) continue;
        if (line.starts_with("# ")) {
            c.why += line.substr(2);
        } else if (line.starts_with("exit: ")) {
            c.exit = std::stoi(line.substr(6));
        } else if (line.starts_with("expect: ")) {
            c.expect.push_back(parse_expectation(line.substr(8)));
        } else if (line.starts_with("and: ")) {
            if (c.expect.empty()) throw std::runtime_error(file.string() + ": 'and:' before any 'expect:'");
            c.expect.back().texts.push_back(line.substr(5));
        } else if (line.starts_with("remove: ")) {
            c.remove.push_back(line.substr(8));
        } else {
            throw std::runtime_error(file.string() + ": unknown header line: " + line);
        }
    }
    c.files = base_files();
    for (const auto& r : c.remove) c.files.erase(r);
    for (auto& [path, data] : changes) c.files[path] = std::move(data);
    return c;
}

std::vector<fs::path> case_files(const std::string& prefix = "") {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(corpus_dir() / "cases"))
        if (e.path().extension() == ".txt" && e.path().filename().string().starts_with(prefix)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

CommandResult run_gongkai(const std::vector<std::string>& args, const fs::path& cwd) {
    std::string command = "cd " + test::shell_quote(cwd.string()) + " && timeout -k 5 " +
                          std::to_string(timeout_seconds) + " " + test::shell_quote(GONGKAI_TEST_BINARY);
    for (const auto& a : args) command += " " + test::shell_quote(a);
    return test::run(command);
}

// A site built from the base content: the "previous site" every case's output folder holds.
const Files& previous_site() {
    static const Files site = [] {
        GitRepo repo;
        repo.write(base_files());
        repo.commit("Base");
        TempDir out;
        auto r = run_gongkai({"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir",
                              test::fixture_themes_dir()},
                             out.path());
        if (r.status != 0) throw std::runtime_error("the base content of tests/bad does not build:\n" + r.output);
        return test::read_tree(out / "site");
    }();
    return site;
}

// The console prints a message as its first line, then indented lines: the source line with a
// caret and the advice. A message's block is all of them.
std::vector<std::string> blocks(const std::string& output) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < output.size()) {
        std::size_t end = output.find('\n', pos);
        if (end == std::string::npos) end = output.size();
        std::string line = output.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.front() == ' ' && !out.empty())
            out.back() += "\n" + line;
        else
            out.push_back(line);
    }
    return out;
}

bool says(const std::string& output, const Expectation& e) {
    for (const auto& block : blocks(output)) {
        if (!block.starts_with(e.location)) continue;
        if (block.size() > e.location.size() && block[e.location.size()] != ':') continue;
        if (std::all_of(e.texts.begin(), e.texts.end(),
                        [&](const std::string& t) { return block.find(t) != std::string::npos; }))
            return true;
    }
    return false;
}

std::string describe(const Expectation& e) {
    std::string out = "a line starting \"" + e.location + ":\"";
    for (const auto& t : e.texts) out += " with \"" + t + "\"";
    return out;
}

// Messages are for terminals and CI logs: UTF-8, no control characters but line ends.
bool printable_output(const std::string& output) {
    if (first_invalid_utf8(output)) return false;
    return std::none_of(output.begin(), output.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\n' && c != '\t') || u == 0x7F;
    });
}

// Output with control characters shown, so a failing case's log stays readable.
std::string log_text(const std::string& output) {
    std::string out;
    std::size_t pos = 0;
    while (pos < output.size()) {
        std::size_t end = output.find('\n', pos);
        if (end == std::string::npos) end = output.size();
        out += printable(std::string_view(output).substr(pos, end - pos), 2000) + "\n";
        pos = end + 1;
    }
    return out;
}

// What a folder holds, leaving out the build cache that a build keeps beside its output folder
// (tests/integration/incremental_test.cpp covers it).
std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (!e.path().filename().string().ends_with(".gongkai-cache")) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// What a case prepares beyond its files: extra arguments, another folder to run in.
struct Run {
    std::vector<std::string> args;
    std::optional<std::string> repo;  // --repo; default: the case's repository
};

// Runs gongkai build on repo into an output folder that holds the previous site, then checks
// the exit status, the messages, and that the folder is as it was (or a new site, for status 0).
void check_build(const std::string& name, const std::string& why, int exit, const std::vector<Expectation>& expect,
                 const std::string& repo, const std::vector<std::string>& extra) {
    INFO("case " << name << ": " << why);
    TempDir out;
    test::write_files(out / "site", previous_site());
    std::vector<std::string> args = {
        "build", "--repo", repo, "--out", (out / "site").string(), "--theme-dir", test::fixture_themes_dir()};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult r = run_gongkai(args, out.path());
    INFO("gongkai said (status " << r.status << "):\n" << log_text(r.output));
    CHECK(r.status == exit);
    CHECK(r.status >= 0);
    CHECK(r.status < 124);  // 124: timed out; 128 and above: killed by a signal
    for (const auto& e : expect) {
        INFO("expected " << describe(e));
        CHECK(says(r.output, e));
    }
    CHECK(printable_output(r.output));
    CHECK(entries(out.path()) == std::vector<std::string>{"site"});
    if (exit == 0) {
        CHECK(fs::exists(out / "site/index.html"));
        CHECK(fs::exists(out / "site/.gongkai-site"));
    } else {
        CHECK(test::read_tree(out / "site") == previous_site());
        if (exit == 1) CHECK(r.output.find("nothing was written") != std::string::npos);
    }
}

void run_case(const fs::path& file) {
    Case c = read_case(file);
    GitRepo repo;
    repo.write(c.files);
    repo.commit("Case " + c.name);
    check_build(c.name, c.why, c.exit, c.expect, repo.dir(), {});
}

void run_cases(const std::string& prefix) {
    auto files = case_files(prefix);
    REQUIRE_FALSE(files.empty());
    for (const auto& f : files) {
        DYNAMIC_SECTION(f.filename().string()) {
            run_case(f);
        }
    }
}

}  // namespace

TEST_CASE("bad input: the corpus has its cases and every case file reads", "[integration][bad-input]") {
    auto files = case_files();
    std::size_t bad = 0;
    const std::vector<std::string> prefixes = {"fm-", "toml-",   "value-", "ref-", "enc-",
                                               "id-", "static-", "file-",  "md-",  "ok-"};
    for (const auto& f : files) {
        INFO(f.string());
        Case c = read_case(f);
        CHECK_FALSE(c.why.empty());
        CHECK((c.exit == 0 || c.exit == 1 || c.exit == 2));
        if (c.exit != 0) {
            ++bad;
            CHECK_FALSE(c.expect.empty());
        }
        std::string name = f.filename().string();
        CHECK(std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return name.starts_with(p); }));
    }
    CHECK(bad >= 60);
}

TEST_CASE("bad input: front matter mistakes", "[integration][bad-input]") {
    run_cases("fm-");
}
TEST_CASE("bad input: TOML syntax mistakes", "[integration][bad-input]") {
    run_cases("toml-");
}
TEST_CASE("bad input: wrong, missing and out-of-range values", "[integration][bad-input]") {
    run_cases("value-");
}
TEST_CASE("bad input: references between files", "[integration][bad-input]") {
    run_cases("ref-");
}
TEST_CASE("bad input: encodings and binary files", "[integration][bad-input]") {
    run_cases("enc-");
}
TEST_CASE("bad input: ids and file names", "[integration][bad-input]") {
    run_cases("id-");
    run_cases("static-");
    run_cases("file-");
}
TEST_CASE("bad input: Markdown nested too deeply", "[integration][bad-input]") {
    run_cases("md-");
}
TEST_CASE("bad input: unusual but valid content still builds", "[integration][bad-input]") {
    run_cases("ok-");
}

// The cases that cannot be stored as text: sizes, depths and names a text file cannot hold, and
// repositories that are broken, empty, bare or shallow.
namespace {

struct Generated {
    std::string name;
    std::string why;
    int exit;
    std::vector<Expectation> expect;
    // Prepares the repository (which holds the base content, committed) and says how to run.
    std::function<Run(GitRepo& repo, const TempDir& scratch)> prepare;
};

Expectation at(std::string location, std::vector<std::string> texts) {
    return {std::move(location), std::move(texts)};
}

const std::string report = "reports/2020-001/2020-10.md";
const std::string report_head =
    "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-10-31\ndate = 2020-10-21\ncompletion = 90\n+++\n";

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// The file of a loose object in the repository.
fs::path object_file(const GitRepo& repo, const std::string& spec) {
    std::string id = repo.git("rev-parse " + test::shell_quote(spec));
    id = id.substr(0, 40);
    fs::path f = repo.path() / ".git/objects" / id.substr(0, 2) / id.substr(2);
    fs::permissions(f, fs::perms::owner_write, fs::perm_options::add);
    return f;
}

// Packs every object with git gc and changes one byte in the middle of the compressed data of the
// blob spec names, which git stored whole (not as a delta, which the build would leave to libgit2
// before reading any of it); the pack's index still describes the pack.
void damage_in_pack(const GitRepo& repo, const std::string& spec) {
    repo.git("gc -q");
    const std::string id = repo.git("rev-parse " + test::shell_quote(spec)).substr(0, 40);
    for (const test::PackedObject& o : test::packed_objects(repo))
        if (o.id == id) {
            REQUIRE_FALSE(o.delta);
            fs::permissions(o.pack, fs::perms::owner_write, fs::perm_options::add);
            std::string bytes = test::read_file(o.pack);
            bytes.at(o.offset + o.packed_size / 2) ^= 0x55;
            test::write_file(o.pack, bytes);
            return;
        }
    FAIL("no pack holds " << spec);
}

// Adds an entry to the index without a file on disk, and commits: names no disk could hold.
void commit_index_entry(GitRepo& repo, const std::string& mode, const std::string& object, const std::string& path) {
    repo.git("update-index --add --cacheinfo " + test::shell_quote(mode + "," + object + "," + path));
    repo.git("commit -q -m 'Index entry'");
}

std::string blob_of(GitRepo& repo, const std::string& text) {
    repo.write(".scratch", text);
    std::string id = repo.git("hash-object -w .scratch").substr(0, 40);
    repo.remove(".scratch");
    return id;
}

// One entry of a git tree object as git writes it: mode, name, NUL, the 20 bytes of the id.
std::string tree_entry(std::string_view name, const std::string& hex_id) {
    std::string out = "100644 " + std::string(name) + std::string(1, '\0');
    for (std::size_t i = 0; i < 40; i += 2) out += static_cast<char>(std::stoi(hex_id.substr(i, 2), nullptr, 16));
    return out;
}

// Commits a root tree whose folder is replaced by a tree made by hand from raw entries: names
// git itself would never write.
void replace_folder(GitRepo& repo, const std::string& folder, const std::string& raw_entries) {
    repo.write(".tree", raw_entries);
    std::string tree_id = repo.git("hash-object --literally -t tree -w .tree").substr(0, 40);
    repo.remove(".tree");
    std::string listing = repo.git("ls-tree HEAD");
    std::string rebuilt;
    std::size_t pos = 0;
    while (pos < listing.size()) {
        std::size_t end = listing.find('\n', pos);
        std::string line = listing.substr(pos, end - pos);
        pos = end + 1;
        if (line.ends_with("\t" + folder)) line = "040000 tree " + tree_id + "\t" + folder;
        rebuilt += line + "\n";
    }
    repo.write(".listing", rebuilt);
    std::string root = repo.git("mktree --missing < .listing").substr(0, 40);
    repo.remove(".listing");
    std::string commit = repo.git("commit-tree " + root + " -p HEAD -m 'A hand-made tree'").substr(0, 40);
    repo.git("update-ref HEAD " + commit);
}

std::vector<Generated> generated_cases() {
    std::vector<Generated> g;
    auto add = [&](std::string name, std::string why, int exit, std::vector<Expectation> expect,
                   std::function<Run(GitRepo&, const TempDir&)> prepare) {
        g.push_back({std::move(name), std::move(why), exit, std::move(expect), std::move(prepare)});
    };

    add("size-50mb-report", "A report of 50 MB.", 1,
        {at(report, {"error: is 50.0 MB", "a text file may be at most 2.0 MB"})}, [](GitRepo& repo, const TempDir&) {
            const std::string paragraph = "进展情况良好，**完成**了 [各项](https://example.org/) 工作。\n\n";
            std::string body = report_head + repeat(paragraph, (std::size_t(50) << 20) / paragraph.size() + 1);
            body.resize(std::size_t(50) << 20);
            repo.write(report, body);
            repo.commit("A huge report");
            return Run{};
        });
    add("depth-10000-quotes", "Block quotes nested 10,000 deep.", 1,
        {at(report + ":7", {"the Markdown is nested 10000 levels deep"})}, [](GitRepo& repo, const TempDir&) {
            repo.write(report, report_head + repeat("> ", 10000) + "x\n");
            repo.commit("Deep quotes");
            return Run{};
        });
    add("depth-10000-lists", "Lists nested 10,000 deep.", 1,
        {at(report + ":7", {"the Markdown is nested", "levels deep"})}, [](GitRepo& repo, const TempDir&) {
            repo.write(report, report_head + repeat("- ", 10000) + "x\n");
            repo.commit("Deep lists");
            return Run{};
        });
    add("depth-10000-indented-lists", "Lists nested 1,000 deep by indentation, each level on its own line.", 1,
        {at(report, {"the Markdown is nested", "levels deep"})}, [](GitRepo& repo, const TempDir&) {
            std::string body;
            for (int i = 0; i < 1000; ++i) body += std::string(2 * static_cast<std::size_t>(i), ' ') + "- x\n";
            repo.write(report, report_head + body);
            repo.commit("Deep indented lists");
            return Run{};
        });
    add("depth-10000-emphasis", "Emphasis nested 10,000 deep.", 1, {at(report + ":7", {"the Markdown is nested"})},
        [](GitRepo& repo, const TempDir&) {
            repo.write(report, report_head + repeat("*a ", 10000) + "x" + repeat("*", 10000) + "\n");
            repo.commit("Deep emphasis");
            return Run{};
        });
    add("depth-10000-brackets", "10,000 nested link brackets (not nesting, but slow in some parsers).", 0, {},
        [](GitRepo& repo, const TempDir&) {
            repo.write(report, report_head + repeat("[", 10000) + "x" + repeat("](y)", 10000) + "\n");
            repo.commit("Brackets");
            return Run{};
        });
    add("slow-autolink-run", "600 KB of 'www.a_' without a space, which takes cmark-gfm's autolink extension minutes.",
        1, {at(report + ":7", {"the Markdown holds a run of 600000 letters", "break it up"})},
        [](GitRepo& repo, const TempDir&) {
            repo.write(report, report_head + repeat("www.a_", 100000) + "\n");
            repo.commit("A slow run");
            return Run{};
        });
    add("slow-table-5000-columns", "A table of 5,000 columns and 100 rows.", 1,
        {at(report + ":7", {"the Markdown holds a table row of more than 256 cells"})},
        [](GitRepo& repo, const TempDir&) {
            std::string row = "|" + repeat("x|", 5000) + "\n";
            repo.write(report,
                       report_head + "|" + repeat("a|", 5000) + "\n|" + repeat("-|", 5000) + "\n" + repeat(row, 100));
            repo.commit("A wide table");
            return Run{};
        });
    add("depth-toml-200000-dotted-key", "A dotted key of 200,000 parts, which overflows toml++'s stack.", 1,
        {at(report + ":6", {"invalid TOML: a key with more than 64 dotted parts"})}, [](GitRepo& repo, const TempDir&) {
            repo.write(report,
                       "+++\nperiod_start = 2020-01-01\nperiod_end = 2020-10-31\ndate = 2020-10-21\ncompletion = 90\n" +
                           repeat("a.", 200000) + "a = 1\n+++\n");
            repo.commit("Deep key");
            return Run{};
        });
    add("depth-toml-200000-table-header", "A table header of 200,000 parts in gongkai.toml.", 1,
        {at("gongkai.toml:5", {"invalid TOML: a key with more than 64 dotted parts"})},
        [](GitRepo& repo, const TempDir&) {
            repo.write("gongkai.toml", test::read_file(repo.path() / "gongkai.toml").substr(0, 0) +
                                           "title = \"t\"\nlanguage = \"en\"\nbase_url = \"/\"\npublisher = \"p\"\n[" +
                                           repeat("a.", 200000) + "a]\n");
            repo.commit("Deep table");
            return Run{};
        });
    add("id-10000-characters", "A project id of 10,000 characters, in a git tree (no disk holds such a name).", 1,
        {at("projects/" + std::string(10000, 'a') + ".md", {"is not a valid project id: it is 10000 characters long"})},
        [](GitRepo& repo, const TempDir&) {
            std::string blob = blob_of(repo, "+++\ntitle = \"t\"\nyear = 2020\ndepartment = \"education\"\n+++\n");
            commit_index_entry(repo, "100644", blob, "projects/" + std::string(10000, 'a') + ".md");
            return Run{};
        });
    add("name-not-utf8", "A file name in Latin-1: shown escaped.", 1,
        {at("projects/caf\\xE9.md", {"error: the file name is not UTF-8: rename the file"})},
        [](GitRepo& repo, const TempDir&) {
            repo.write("projects/caf\xE9.md", "+++\ntitle = \"t\"\nyear = 2020\ndepartment = \"education\"\n+++\n");
            repo.commit("Latin-1 name");
            return Run{};
        });
    add("name-newline", "A line break in a file name, which could forge a message line: shown escaped.", 1,
        {at("departments/a\\nb.toml", {"error: the file name holds a control character"})},
        [](GitRepo& repo, const TempDir&) {
            repo.write("departments/a\nb.toml", "name = \"x\"\n");
            repo.commit("Newline in a name");
            return Run{};
        });
    add("name-bidi-override", "A right-to-left override in an id: shown escaped, not obeyed.", 1,
        {at("departments/\\u202Elmth.toml", {"is not a valid department id"})}, [](GitRepo& repo, const TempDir&) {
            repo.write("departments/\xE2\x80\xAElmth.toml", "name = \"x\"\n");
            repo.commit("Bidi override");
            return Run{};
        });
    add("name-nul-in-tree", "A NUL inside a name in a hand-made git tree, which makes the tree unreadable.", 2,
        {at("gongkai", {"error: cannot read the folder departments from git", "damaged"})},
        [](GitRepo& repo, const TempDir&) {
            std::string blob = blob_of(repo, "name = \"x\"\n");
            replace_folder(repo, "departments", tree_entry(std::string("a\0b.toml", 8), blob));
            return Run{};
        });
    add("name-dotdot-in-tree", "An entry named '..' in a hand-made git tree.", 1,
        {at("projects/..", {"error:", "'..'"})}, [](GitRepo& repo, const TempDir&) {
            std::string blob = blob_of(repo, "+++\ntitle = \"t\"\nyear = 2020\ndepartment = \"education\"\n+++\n");
            std::string project = repo.git("rev-parse HEAD:projects/2020-001.md").substr(0, 40);
            replace_folder(repo, "projects", tree_entry("..", blob) + tree_entry("2020-001.md", project));
            return Run{};
        });
    add("name-slash-in-tree", "An entry whose name holds a '/', in a hand-made git tree.", 1,
        {at("departments/../../x.toml", {"error:", "'../../x.toml'"})}, [](GitRepo& repo, const TempDir&) {
            std::string blob = blob_of(repo, "name = \"x\"\n");
            std::string education = repo.git("rev-parse HEAD:departments/education.toml").substr(0, 40);
            std::string health = repo.git("rev-parse HEAD:departments/health.toml").substr(0, 40);
            replace_folder(repo, "departments",
                           tree_entry("../../x.toml", blob) + tree_entry("education.toml", education) +
                               tree_entry("health.toml", health));
            return Run{};
        });
    add("link-in-content", "A symbolic link to a file outside the repository, as a department.", 1,
        {at("departments/passwd.toml", {"error: symbolic links are not published"})},
        [](GitRepo& repo, const TempDir&) {
            fs::create_symlink("/etc/passwd", repo.path() / "departments/passwd.toml");
            repo.commit("A link");
            return Run{};
        });
    add("link-static-folder", "static/ itself a symbolic link.", 1,
        {at("static", {"error: symbolic links are not published"})}, [](GitRepo& repo, const TempDir&) {
            fs::create_directory_symlink("/etc", repo.path() / "static");
            repo.commit("static as a link");
            return Run{};
        });
    add("link-outside-content", "A symbolic link in a folder gongkai does not read: passed over.", 0, {},
        [](GitRepo& repo, const TempDir&) {
            fs::create_directories(repo.path() / "docs");
            fs::create_symlink("/etc/passwd", repo.path() / "docs/passwd");
            repo.commit("A link in docs");
            return Run{};
        });
    add("submodule-in-content", "A submodule where departments belong.", 1,
        {at("departments/shared", {"error: submodules are not read", "commit the content itself"})},
        [](GitRepo& repo, const TempDir&) {
            std::string head = repo.git("rev-parse HEAD").substr(0, 40);
            commit_index_entry(repo, "160000", head, "departments/shared");
            return Run{};
        });
    add("submodule-outside-content", "A submodule in a folder gongkai does not read: passed over.", 0, {},
        [](GitRepo& repo, const TempDir&) {
            std::string head = repo.git("rev-parse HEAD").substr(0, 40);
            commit_index_entry(repo, "160000", head, "vendor/theme");
            return Run{};
        });
    add("deep-folders", "Folders nested 100 deep under static/.", 1,
        {at("static/" + repeat("a/", 62) + "a", {"error: folders are nested more than 64 deep"})},
        [](GitRepo& repo, const TempDir&) {
            repo.write("static/" + repeat("a/", 100) + "x.txt", "x\n");
            repo.commit("Deep folders");
            return Run{};
        });
    add("corrupt-blob", "A report whose object is damaged.", 1,
        {at(report, {"error: cannot read the file from git", "damaged"})}, [](GitRepo& repo, const TempDir&) {
            test::write_file(object_file(repo, "HEAD:" + report), "garbage");
            return Run{};
        });
    add("corrupt-blob-in-pack", "A report whose data in a pack is damaged.", 1,
        {at(report, {"error: cannot read the file from git", "damaged"})}, [](GitRepo& repo, const TempDir&) {
            damage_in_pack(repo, "HEAD:" + report);
            return Run{};
        });
    add("missing-blob", "A project whose object is gone; its reports are not blamed for it.", 1,
        {at("projects/2020-001.md", {"error: cannot read the file from git"})}, [](GitRepo& repo, const TempDir&) {
            fs::remove(object_file(repo, "HEAD:projects/2020-001.md"));
            return Run{};
        });
    add("corrupt-tree", "The reports folder's tree object is damaged.", 2,
        {at("gongkai", {"error: cannot read the folder reports", "damaged"})}, [](GitRepo& repo, const TempDir&) {
            test::write_file(object_file(repo, "HEAD:reports"), "xx");
            return Run{};
        });
    add("corrupt-commit", "The commit object is damaged.", 2,
        {at("gongkai", {"error: 'HEAD' points to", "which cannot be read", "damaged"})}, [](GitRepo& repo, const TempDir&) {
            test::write_file(object_file(repo, "HEAD"), "xx");
            return Run{};
        });
    add("truncated-pack", "A pack file cut short.", 2, {at("gongkai", {"error:", "damaged"})},
        [](GitRepo& repo, const TempDir&) {
            repo.git("gc -q");
            for (const auto& e : fs::directory_iterator(repo.path() / ".git/objects/pack"))
                if (e.path().extension() == ".pack") {
                    fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
                    fs::resize_file(e.path(), 200);
                }
            return Run{};
        });
    add("missing-ref", "A branch that does not exist.", 2,
        {at("gongkai", {"error: 'no-such-branch' does not name a commit"})}, [](GitRepo&, const TempDir&) {
            return Run{{"--ref", "no-such-branch"}, {}};
        });
    add("ref-names-a-tree", "A ref that names a tree, not a commit.", 2,
        {at("gongkai", {"error: 'HEAD^{tree}' does not name a commit (it names tree)"})}, [](GitRepo&, const TempDir&) {
            return Run{{"--ref", "HEAD^{tree}"}, {}};
        });
    add("empty-repository", "A repository without a commit.", 2, {at("gongkai", {"error: the repository is empty"})},
        [](GitRepo&, const TempDir& scratch) {
            GitRepo empty;
            fs::path dir = scratch / "empty";
            fs::copy(empty.path(), dir, fs::copy_options::recursive);
            return Run{{}, dir.string()};
        });
    add("empty-bare-repository", "A bare repository without a commit.", 2,
        {at("gongkai", {"error: the repository is empty"})}, [](GitRepo& repo, const TempDir& scratch) {
            repo.git("init -q --bare " + test::shell_quote((scratch / "empty.git").string()));
            return Run{{}, (scratch / "empty.git").string()};
        });
    add("bare-worktree", "--worktree on a bare repository.", 2,
        {at("gongkai", {"error: a bare repository has no working tree"})}, [](GitRepo& repo, const TempDir& scratch) {
            repo.git("clone -q --bare . " + test::shell_quote((scratch / "bare.git").string()));
            return Run{{"--worktree"}, (scratch / "bare.git").string()};
        });
    add("bare-repository", "A bare clone builds like its working tree.", 0, {},
        [](GitRepo& repo, const TempDir& scratch) {
            repo.git("clone -q --bare . " + test::shell_quote((scratch / "bare.git").string()));
            return Run{{}, (scratch / "bare.git").string()};
        });
    add("shallow-beyond-history", "A ref before the cut of a shallow clone.", 2,
        {at("gongkai", {"error: 'HEAD~1' does not name a commit in this shallow clone"})},
        [](GitRepo& repo, const TempDir& scratch) {
            repo.write("reports/2020-001/2020-06.md",
                       test::read_file(repo.path() / "reports/2020-001/2020-06.md") + "\n补充。\n");
            repo.commit("Amend");
            test::run("git clone -q --depth 1 " + test::shell_quote("file://" + repo.dir()) + " " +
                      test::shell_quote((scratch / "shallow").string()));
            return Run{{"--ref", "HEAD~1"}, (scratch / "shallow").string()};
        });
    add("shallow-clone", "A shallow clone builds, with a warning that history is incomplete.", 0,
        {at("gongkai", {"warning: this is a shallow clone"})}, [](GitRepo& repo, const TempDir& scratch) {
            repo.write("reports/2020-001/2020-06.md",
                       test::read_file(repo.path() / "reports/2020-001/2020-06.md") + "\n补充。\n");
            repo.commit("Amend");
            test::run("git clone -q --depth 1 " + test::shell_quote("file://" + repo.dir()) + " " +
                      test::shell_quote((scratch / "shallow").string()));
            return Run{{}, (scratch / "shallow").string()};
        });
    add("not-a-repository", "A folder that is not in a git repository.", 2,
        {at("gongkai", {"error:", "not a git repository"})}, [](GitRepo&, const TempDir& scratch) {
            test::write_files(scratch / "plain", base_files());
            return Run{{}, (scratch / "plain").string()};
        });
    add("no-such-folder", "A --repo that does not exist.", 2, {at("gongkai", {"error:", "/no/such/folder"})},
        [](GitRepo&, const TempDir&) {
            return Run{{}, std::string("/no/such/folder")};
        });
    add("content-dir-missing", "A --content-dir the commit does not have.", 1,
        {at("site", {"error: no such folder in HEAD"})}, [](GitRepo&, const TempDir&) {
            return Run{{"--content-dir", "site"}, {}};
        });
    add("content-dir-is-a-file", "A --content-dir that is a file.", 1,
        {at("gongkai.toml", {"error: is not a folder in HEAD"})}, [](GitRepo&, const TempDir&) {
            return Run{{"--content-dir", "gongkai.toml"}, {}};
        });
    return g;
}

}  // namespace

TEST_CASE("bad input: repositories and files that text cannot hold", "[integration][bad-input]") {
    auto cases = generated_cases();
    std::size_t bad = std::count_if(cases.begin(), cases.end(), [](const Generated& g) { return g.exit != 0; });
    CHECK(bad >= 30);
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.name) {
            GitRepo repo;
            repo.write(base_files());
            repo.commit("Base");
            TempDir scratch;
            Run how = c.prepare(repo, scratch);
            check_build(c.name, c.why, c.exit, c.expect, how.repo.value_or(repo.dir()), how.args);
        }
    }
}

// What the fuzzers found, kept as inputs under fuzz/regressions/<target>/: each is run again the
// way its target runs it, in this build (with or without sanitizers), and must simply return.
#include "../../fuzz/inputs.h"

TEST_CASE("bad input: every input the fuzzers found is handled", "[integration][bad-input][fuzz]") {
    const fs::path dir = fs::path(test::source_dir()) / "fuzz/regressions";
    const auto base = fuzz::sections(test::read_file(corpus_dir() / "base.txt"));
    std::size_t replayed = 0;
    for (const char* target : {"front_matter", "toml_model", "markdown", "site"}) {
        if (!fs::is_directory(dir / target)) continue;
        for (const auto& e : fs::directory_iterator(dir / target)) {
            if (!e.is_regular_file() || e.path().filename() == "README.md") continue;
            INFO("fuzz/regressions/" << target << "/" << e.path().filename().string());
            std::string data = test::read_file(e.path());
            std::string_view t = target;
            if (t == "front_matter") fuzz::front_matter(data);
            if (t == "toml_model") fuzz::toml_model(data);
            if (t == "markdown") fuzz::markdown(data);
            if (t == "site") fuzz::site(data, base, test::source_themes_dir());
            ++replayed;
        }
    }
    CHECK(replayed > 0);
}
