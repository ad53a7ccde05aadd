#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "data.h"
#include "fixture.h"
#include "open_data_fixture.h"

using namespace gongkai;
using namespace gongkai::test;

namespace {

const std::string& base = open_data_base;

std::map<std::string, std::string> build(const Library& lib, const Analysis& a) {
    SiteFiles files;
    add_open_data(lib, a, base, files);
    return files.files();
}

// The lines of the first array item under "<list>": [, which the writer indents by six spaces.
std::vector<std::string> first_item_keys(const std::string& json, const std::string& list) {
    std::vector<std::string> keys;
    std::size_t pos = json.find("\n  \"" + list + "\": [\n");
    if (pos == std::string::npos) return keys;
    pos = json.find('\n', pos + 1) + 1;
    while (pos < json.size()) {
        std::size_t end = json.find('\n', pos);
        std::string line = json.substr(pos, end - pos);
        if (line == "    }" || line == "    },") break;
        if (line.starts_with("      \"")) keys.push_back(line.substr(7, line.find('"', 7) - 7));
        pos = end + 1;
    }
    return keys;
}

// The names in the schema's "required" list for the items of the file's list, indented by eight.
std::vector<std::string> item_required(const std::string& schema) {
    std::vector<std::string> names;
    std::size_t pos = schema.find("\n        \"required\": [\n");
    if (pos == std::string::npos) return names;
    pos = schema.find('\n', pos + 1) + 1;
    while (pos < schema.size() && schema.compare(pos, 11, "          \"") == 0) {
        std::size_t end = schema.find('\n', pos);
        names.push_back(schema.substr(pos + 11, schema.find('"', pos + 11) - pos - 11));
        pos = end + 1;
    }
    return names;
}

}  // namespace

TEST_CASE("data: six files, in data/", "[data]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    std::vector<std::string> paths;
    for (const auto& [path, bytes] : files) paths.push_back(path);
    CHECK(paths == std::vector<std::string>{"data/projects.csv", "data/projects.json", "data/projects.schema.json",
                                            "data/reports.csv", "data/reports.json", "data/reports.schema.json"});
    for (const auto& [path, bytes] : files) {
        INFO(path);
        CHECK(bytes.ends_with("\n"));
    }
}

TEST_CASE("data: both JSON files open with their schema, the generator, the site and the build's date", "[data]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    const std::string header_tail = R"(  "generator": "gongkai )" GONGKAI_VERSION R"(",
  "site": {
    "title": "长宁区重点工作推进情况",
    "publisher": "长宁区人民政府",
    "programme": "区政府重点工作",
    "language": "zh-CN",
    "base_url": "https://example.org/progress/"
  },
  "as_of": "2020-11-01",
)";
    CHECK(files["data/projects.json"].starts_with(
        "{\n  \"$schema\": \"https://example.org/progress/data/projects.schema.json\",\n" + header_tail +
        "  \"projects\": [\n"));
    CHECK(files["data/reports.json"].starts_with(
        "{\n  \"$schema\": \"https://example.org/progress/data/reports.schema.json\",\n" + header_tail +
        "  \"reports\": [\n"));
}

TEST_CASE("data: projects.json holds a project's plan, its latest figures and the schedule judgements", "[data]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    const std::string& json = files["data/projects.json"];
    // Every key, in the documented order; last_updated is the amendment of the newest report.
    CHECK_THAT(json, Catch::Contains(R"(    {
      "id": "2020-043",
      "url": "https://example.org/progress/projects/2020-043/",
      "number": "043",
      "title": "推进教育“优质+均衡”发展三年行动计划",
      "year": 2020,
      "department": "education",
      "co_departments": [
        "finance"
      ],
      "official": "王副区长",
      "target": "全年完成 3 所学校建设",
      "body_markdown": "落实：区教育局\n",
      "start": "2020-01-01",
      "end": "2020-12-31",
      "goals": [
        {
          "id": "1",
          "title": "长宁教育“优质+均衡”发展",
          "goals": [
            {
              "id": "1.1",
              "title": "高中",
              "goals": []
            },
            {
              "id": "1.2",
              "title": "初中",
              "goals": []
            }
          ]
        },
        {
          "id": "2",
          "title": "人才引进",
          "goals": []
        }
      ],
      "milestones": [
        {
          "date": "2020-06-30",
          "expected": 40
        }
      ],
      "latest_report": "2020-10",
      "completion": 90,
      "on_schedule": null,
      "expected_progress": 83.3,
      "expected_at": "2020-10-31",
      "behind_schedule": false,
      "late_report": false,
      "missing_periods": [],
      "report_count": 2,
      "last_updated": "2020-10-23T10:00:00+08:00",
      "sample_data": false
    },
)"));
}

TEST_CASE("data: a project behind schedule, late, and marked sample through its department", "[data]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    const std::string& json = files["data/projects.json"];
    CHECK_THAT(json, Catch::Contains(R"(      "latest_report": "2020-q3",
      "completion": null,
      "on_schedule": false,
      "expected_progress": 74.9,
      "expected_at": "2020-09-30",
      "behind_schedule": true,
      "late_report": true,
      "missing_periods": [
        {
          "start": "2020-10-01",
          "end": "2020-10-31",
          "due": "2020-10-25"
        }
      ],
      "report_count": 1,
      "last_updated": null,
      "sample_data": true
    },)"));
}

TEST_CASE("data: a project without reports has nulls, not zeros", "[data]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    CHECK_THAT(files["data/projects.json"], Catch::Contains(R"(      "latest_report": null,
      "completion": null,
      "on_schedule": null,
      "expected_progress": null,
      "expected_at": null,
      "behind_schedule": false,
      "late_report": false,
      "missing_periods": [],
      "report_count": 0,
      "last_updated": null,
      "sample_data": false
    }
  ]
}
)"));
    CHECK(files["data/projects.json"].ends_with("    }\n  ]\n}\n"));
}

TEST_CASE("data: JSON escapes quotes, control characters and < > & so it is inert inside HTML", "[data]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    for (const char* path : {"data/projects.json", "data/reports.json"}) {
        INFO(path);
        const std::string& json = files[path];
        CHECK(json.find('<') == std::string::npos);
        CHECK(json.find('>') == std::string::npos);
        CHECK(json.find('&') == std::string::npos);
        CHECK(json.find('\x01') == std::string::npos);
        CHECK(json.find("\xe2\x80\xa8") == std::string::npos);
    }
    CHECK_THAT(files["data/projects.json"],
               Catch::Contains(R"("title": "预算 \u003cscript\u003ealert(1)\u003c/script\u003e \u0026 公开",)"));
    const std::string& reports = files["data/reports.json"];
    CHECK_THAT(reports, Catch::Contains(R"j("title": "=HYPERLINK(\"http://x\",\"y\")",)j"));
    CHECK_THAT(reports,
               Catch::Contains(
                   R"("body_markdown": "根据督查通知的要求，“现将”反馈如下：\n\n## （一）目前进展情况\n\n)"
                   R"(### 1. 优质+均衡\n\n\u003c/script\u003e\u0001 line\u2028sep\n\n## （二）存在的困难\n\n无\n",)"));
    CHECK_THAT(reports, Catch::Contains(R"("summary": "更正完成率 \u003cb\u003e",)"));
}

namespace {

// append_json_string's rule, a character at a time.
std::string json_by_rule(std::string_view text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        char escaped[8];
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
                std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                out += escaped;
            } else if (text.substr(i, 3) == "\xe2\x80\xa8" || text.substr(i, 3) == "\xe2\x80\xa9") {
                out += text[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
                i += 2;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

}  // namespace

TEST_CASE("data: JSON strings escape every byte as the character-by-character rule has it", "[data]") {
    auto written = [](std::string_view text) {
        std::string out = "[";  // appended onto what is there
        append_json_string(out, text);
        return out;
    };
    std::string all;
    for (int b = 0; b < 256; ++b) {
        const std::string one(1, static_cast<char>(b));
        INFO("byte " << b);
        CHECK(written(one) == "[" + json_by_rule(one));
        CHECK(written("进展" + one + "x" + one + one) == "[" + json_by_rule("进展" + one + "x" + one + one));
        all += one;
    }
    CHECK(written(all) == "[" + json_by_rule(all));
    // Each byte it escapes alone among plain text, at every place in the first blocks.
    for (const std::string special : {"<", "\"", "\n", "\x01", "\x7f", "\xe2\x80\xa8", "\xe2\x80\xa9"})
        for (std::size_t at = 0; at < 40; ++at) {
            const std::string text = std::string(at, 'a') + special + std::string(20, 'b');
            INFO("at " << at << ": " << text);
            CHECK(written(text) == "[" + json_by_rule(text));
        }
    // Random text, with what it escapes at every place in and across the 16-byte blocks it is
    // searched in: U+2028 and U+2029 cut at the end, other characters that begin with 0xe2.
    const std::string pieces[] = {"进", "a", " ", "&", "<", ">", "\"", "\\", "\t", "\n", "\r", "\x01", "\x7f",
                                  "\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\x9c", "\xe2", "\xe2\x80",
                                  "0123456789abcdef"};
    std::mt19937 random(20261201);
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int count = static_cast<int>(random() % 40);
        for (int k = 0; k < count; ++k) text += pieces[random() % std::size(pieces)];
        INFO("text: " << text);
        CHECK(written(text) == "[" + json_by_rule(text));
    }
}

TEST_CASE("data: reports.json holds a report's figures, contacts, sections and its record from git", "[data]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    const std::string& json = files["data/reports.json"];
    CHECK(first_item_keys(json, "reports") == std::vector<std::string>{"id",
                                                                       "project",
                                                                       "url",
                                                                       "title",
                                                                       "period_start",
                                                                       "period_end",
                                                                       "date",
                                                                       "completion",
                                                                       "on_schedule",
                                                                       "addressee",
                                                                       "signed_by",
                                                                       "leader_signature",
                                                                       "contacts",
                                                                       "goal_completion",
                                                                       "body_markdown",
                                                                       "sections",
                                                                       "first_published",
                                                                       "amendments",
                                                                       "history_truncated",
                                                                       "sample_data"});
    CHECK_THAT(json, Catch::Contains(R"(      "id": "2020-10",
      "project": "2020-043",
      "url": "https://example.org/progress/projects/2020-043/reports/2020-10/",
      "title": "长宁区教育局关于 1-10 月推进情况的反馈",
      "period_start": "2020-01-01",
      "period_end": "2020-10-31",
      "date": "2020-10-21",
      "completion": 90,
      "on_schedule": null,
      "addressee": "区府办",
      "signed_by": "长宁区教育局",
      "leader_signature": true,
      "contacts": [
        {
          "name": "宗宏",
          "role": "",
          "phone": "22050725",
          "email": ""
        },
        {
          "name": "黄丽灵",
          "role": "联络员",
          "phone": "22050779",
          "email": "hll@example.org"
        }
      ],
      "goal_completion": {
        "1": 51,
        "1.1": 58.5
      },
)"));
    CHECK_THAT(json, Catch::Contains(R"(      "sections": [
        {
          "id": "section-1",
          "title": "（一）目前进展情况"
        },
        {
          "id": "section-2",
          "title": "（二）存在的困难"
        }
      ],
      "first_published": {
        "commit": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "time": "2020-10-21T09:30:00+08:00"
      },
      "amendments": [
        {
          "commit": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
          "time": "2020-10-23T10:00:00+08:00",
          "summary": "更正完成率 \u003cb\u003e",
          "changes": [
            {
              "key": "completion",
              "before": "85",
              "after": "90"
            },
            {
              "key": "addressee",
              "before": "",
              "after": "区府办"
            }
          ],
          "body_changed": true
        }
      ],
      "history_truncated": false,
      "sample_data": false
    },
)"));
    // A report without contacts or goal completion has them empty, not missing.
    CHECK_THAT(json, Catch::Contains(R"(      "leader_signature": false,
      "contacts": [],
      "goal_completion": {},
      "body_markdown": )"));
    // A shallow clone's oldest visible commit is flagged, not passed off as the first publication.
    CHECK_THAT(json, Catch::Contains(R"(      "first_published": {
        "commit": "cccccccccccccccccccccccccccccccccccccccc",
        "time": "2020-07-01T08:00:00+08:00"
      },
      "amendments": [],
      "history_truncated": true,)"));
    CHECK_THAT(json, Catch::Contains(R"(      "first_published": null,
      "amendments": [],
      "history_truncated": false,
      "sample_data": true
    }
  ]
}
)"));
}

TEST_CASE("data: without git history every date from git is null", "[data]") {
    Library lib = open_data_library();
    Analysis a = open_data_analysis(lib);
    a.history = History{};
    a.has_history = false;
    auto files = build(lib, a);
    const std::string& reports = files["data/reports.json"];
    CHECK(reports.find("\"first_published\": {") == std::string::npos);
    CHECK(reports.find("\"amendments\": [\n") == std::string::npos);
    CHECK(files["data/projects.json"].find("\"last_updated\": \"") == std::string::npos);
    CHECK(files["data/reports.csv"].find("+08:00") == std::string::npos);
}

TEST_CASE("data: the schemas are draft 2020-12, addressed under the site, and require every key written", "[data]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    for (const std::string name : {"projects", "reports"}) {
        INFO(name);
        const std::string& schema = files["data/" + name + ".schema.json"];
        CHECK(
            schema.starts_with("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n  \"$id\": "
                               "\"https://example.org/progress/data/" +
                               name + ".schema.json\",\n"));
        std::vector<std::string> keys = first_item_keys(files["data/" + name + ".json"], name);
        CHECK(keys.size() >= 20);
        CHECK(item_required(schema) == keys);
        CHECK_THAT(schema, Catch::Contains("\"additionalProperties\": false"));
        CHECK_THAT(schema, Catch::Contains(R"("completion": {
            "type": [
              "number",
              "null"
            ],
            "minimum": 0,
            "maximum": 100,)"));
    }
    CHECK_THAT(files["data/projects.schema.json"], Catch::Contains(R"("last_updated": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",)"));
    CHECK_THAT(files["data/projects.schema.json"], Catch::Contains(R"("$ref": "#/$defs/goal")"));
    CHECK_THAT(files["data/reports.schema.json"], Catch::Contains(R"("$ref": "#/$defs/revision")"));
}

TEST_CASE("data: projects.csv opens in a spreadsheet: BOM, CRLF, a header, one row per project, sample marked",
          "[data]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    CHECK(files["data/projects.csv"] ==
          "\xEF\xBB\xBF"
          "id,number,title,year,department,department_name,completion,expected_progress,behind_schedule,"
          "late_report,latest_report,latest_report_date,report_count,url,sample_data\r\n"
          "2020-043,043,推进教育“优质+均衡”发展三年行动计划,2020,education,长宁区教育局,90,83.3,false,false,"
          "2020-10,2020-10-21,2,https://example.org/progress/projects/2020-043/,false\r\n"
          "2020-050,050,预算 <script>alert(1)</script> & 公开,2020,finance,长宁区财政局,,74.9,true,true,"
          "2020-q3,2020-10-15,1,https://example.org/progress/projects/2020-050/,true\r\n"
          "2020-060,,Quiet project,2020,education,长宁区教育局,,,false,false,,,0,"
          "https://example.org/progress/projects/2020-060/,false\r\n");
}

TEST_CASE("data: reports.csv quotes what needs quoting and defuses formulas", "[data]") {
    Library lib = open_data_library();
    auto files = build(lib, open_data_analysis(lib));
    CHECK(files["data/reports.csv"] ==
          "\xEF\xBB\xBF"
          "project,id,title,period_start,period_end,date,completion,on_schedule,contacts,phones,first_published,"
          "amendments,url,sample_data\r\n"
          "2020-043,2020-06,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2020-01-01,2020-06-30,2020-06-28,50,,,,"
          "2020-07-01T08:00:00+08:00,0,https://example.org/progress/projects/2020-043/reports/2020-06/,false\r\n"
          "2020-043,2020-10,长宁区教育局关于 1-10 月推进情况的反馈,2020-01-01,2020-10-31,2020-10-21,90,,"
          "宗宏; 黄丽灵,22050725; 22050779,2020-10-21T09:30:00+08:00,1,"
          "https://example.org/progress/projects/2020-043/reports/2020-10/,false\r\n"
          "2020-050,2020-q3,,2020-07-01,2020-09-30,2020-10-15,,false,'-张三,'+86 21 5555,,0,"
          "https://example.org/progress/projects/2020-050/reports/2020-q3/,true\r\n");
}

TEST_CASE("data: CSV cells with line breaks are quoted, and every formula lead is defused", "[data]") {
    Library lib = open_data_library();
    lib.reports[2].title = "第一行\n第二行";
    lib.reports[0].title = "@SUM(A1)";
    lib.reports[1].title = "\tx";
    lib.reports[1].contacts = {Contact{"+1", "", "", ""}, Contact{"=2", "", "", ""}};
    lib.reports[1].contacts[0].phone = "\r1";
    auto files = build(lib, open_data_analysis(lib));
    const std::string& csv = files["data/reports.csv"];
    CHECK_THAT(csv, Catch::Contains(",\"第一行\n第二行\","));
    CHECK_THAT(csv, Catch::Contains(",'@SUM(A1),"));
    CHECK_THAT(csv, Catch::Contains(",'\tx,"));
    CHECK_THAT(csv, Catch::Contains(",'+1; =2,\"'\r1\","));
    // Every record ends in CRLF; the only bare LF is inside the quoted title.
    std::size_t bare = 0;
    for (std::size_t i = 0; i < csv.size(); ++i)
        if (csv[i] == '\n' && (i == 0 || csv[i - 1] != '\r')) ++bare;
    CHECK(bare == 1);
}

TEST_CASE("data: the same content gives the same bytes", "[data]") {
    Library lib = open_data_library();
    Analysis a = open_data_analysis(lib);
    CHECK(build(lib, a) == build(lib, a));
    Library copy = open_data_library();
    CHECK(build(copy, open_data_analysis(copy)) == build(lib, a));
}

TEST_CASE("data: unchanged reports' entries are copied from the published reports.json while it is as written",
          "[data]") {
    namespace fs = std::filesystem;
    Library lib = open_data_library();
    Analysis a = open_data_analysis(lib);
    const std::size_t n = lib.reports.size();
    REQUIRE(n >= 3);
    ReportJsonCache first;
    a.report_json = &first;
    const std::string published = build(lib, a).at("data/reports.json");
    REQUIRE(first.made.size() == n);
    CHECK(first.kept == 0);
    TempDir dir;
    const fs::path file = dir / "reports.json";
    write_file(file, published);
    OutputEntry as_written;
    restat(file, as_written);

    // The next build: report 1's entry is made anew (its key differs), the others are copied.
    ReportJsonCache second;
    second.previous = first.made;
    second.previous[1].key = Hash128{};
    std::size_t kept = n - 1;
    enum class Change { none, in_place, cut_short } change = Change::none;
    SECTION("the file as written") {
    }
    SECTION("an entry noted past the file's end is made anew") {
        second.previous[0].offset = published.size();
        kept = n - 2;
    }
    SECTION("the file changed in place after it was opened: every entry is made anew") {
        change = Change::in_place;
        kept = 0;
    }
    SECTION("the file cut short after it was opened: every entry is made anew") {
        change = Change::cut_short;
        kept = 0;
    }
    const PublishedFile from(file, as_written);
    REQUIRE(from.is_open());
    second.published = &from;
    if (change != Change::none) wait_past_last_change(file);
    if (change == Change::in_place) {
        std::ofstream over(file, std::ios::binary | std::ios::in | std::ios::out);
        over << std::string(published.size(), ' ');
    } else if (change == Change::cut_short) {
        fs::resize_file(file, published.size() / 2);
    }
    a.report_json = &second;
    CHECK(build(lib, a).at("data/reports.json") == published);
    CHECK(second.kept == kept);
    for (std::size_t i = 0; i < n; ++i) {
        INFO("report " << i);
        CHECK(second.made[i].offset == first.made[i].offset);
        CHECK(second.made[i].size == first.made[i].size);
        CHECK(second.made[i].sum == first.made[i].sum);
        CHECK(second.made[i].key == first.made[i].key);
    }
}

TEST_CASE("data: entries are copied in runs that cross the batches entries are made in", "[data]") {
    // 150 reports: batches of 32 (a thirty-second of the reports, at least 32), each written
    // while the next is made, so the runs of entries copied from the published file start and end
    // inside batches and across their edges.
    namespace fs = std::filesystem;
    Library lib = open_data_library();
    const Report model = lib.reports.back();  // the last project's: copies keep the order
    for (int i = 0; i < 147; ++i) {
        Report r = model;
        r.id = model.id + "-" + std::to_string(1000 + i);
        r.path = "reports/" + r.project + "/" + r.id + ".md";
        r.title = "Report " + std::to_string(i);
        lib.reports.push_back(r);
    }
    Analysis a = open_data_analysis(lib);
    const std::size_t n = lib.reports.size();
    REQUIRE(n == 150);
    ReportJsonCache first;
    a.report_json = &first;
    const std::string published = build(lib, a).at("data/reports.json");
    TempDir dir;
    const fs::path file = dir / "reports.json";
    write_file(file, published);
    OutputEntry as_written;
    restat(file, as_written);

    // Made anew: the last entry of the second batch, the first of the third, one inside the
    // fourth, and the very last; every other entry is copied.
    const std::vector<std::size_t> changed = {63, 64, 100, 149};
    ReportJsonCache second;
    second.previous = first.made;
    for (std::size_t i : changed) second.previous[i].key = Hash128{};
    const PublishedFile from(file, as_written);
    REQUIRE(from.is_open());
    second.published = &from;
    a.report_json = &second;
    std::size_t kept = n - changed.size();
    SECTION("the file as published") {
    }
    SECTION("the file cut short once open, as by hand while a build copies from it") {
        // A run of entries past the first batches comes up short, while the next batch is made:
        // every entry is made anew.
        std::filesystem::resize_file(file, published.size() * 3 / 4);
        kept = 0;
    }
    CHECK(build(lib, a).at("data/reports.json") == published);
    CHECK(second.kept == kept);
    for (std::size_t i = 0; i < n; ++i) {
        INFO("report " << i);
        CHECK(second.made[i].offset == first.made[i].offset);
        CHECK(second.made[i].size == first.made[i].size);
        CHECK(second.made[i].sum == first.made[i].sum);
    }
}

TEST_CASE("data: times are RFC 3339 in the committer's own offset", "[data]") {
    CHECK(rfc3339(0, 0) == "1970-01-01T00:00:00Z");
    CHECK(rfc3339(-1, 0) == "1969-12-31T23:59:59Z");
    CHECK(rfc3339(local_time({2020, 10, 21}, 0, 30, 480), 480) == "2020-10-21T00:30:00+08:00");
    CHECK(rfc3339(local_time({2020, 1, 5}, 17, 45, -330), -330) == "2020-01-05T17:45:00-05:30");
    CHECK(rfc3339(local_time({2020, 12, 31}, 23, 59, 59), 59) == "2020-12-31T23:59:00+00:59");
}

TEST_CASE("data: RFC 3339 times read as snprintf wrote them, for any time and offset", "[data]") {
    // The rule rfc3339 once wrote with snprintf, as it was: the reference for its digit-by-digit
    // form, over times far from 1970 and offsets of a hundred hours or more.
    auto reference = [](std::int64_t seconds, int offset_minutes) {
        const std::int64_t local = seconds + static_cast<std::int64_t>(offset_minutes) * 60;
        const Date day = date_of(seconds, offset_minutes);
        const std::int64_t second_of_day = local - day.days() * 86400;
        const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
        char zone[16] = "Z";
        if (offset_minutes != 0)
            std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', magnitude / 60,
                          magnitude % 60);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%s", day.iso().c_str(),
                      static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                      static_cast<int>(second_of_day % 60), zone);
        return std::string(buf);
    };
    std::mt19937_64 random(20261201);
    std::uniform_int_distribution<std::int64_t> seconds(-80'000'000'000, 250'000'000'000);
    std::uniform_int_distribution<int> offsets(-7000, 7000);
    for (int i = 0; i < 20000; ++i) {
        const std::int64_t t = i % 4 == 0 ? seconds(random) % 100'000'000 : seconds(random);
        const int offset = i % 3 == 0 ? offsets(random) / 60 * 60 : offsets(random);
        INFO(t << " at " << offset);
        REQUIRE(rfc3339(t, offset) == reference(t, offset));
    }
    for (int offset : {0, 1, -1, 5999, -5999, 6000, -6000, 59 * 60 + 59})
        for (std::int64_t t : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{86399}, std::int64_t{253402300799}})
            CHECK(rfc3339(t, offset) == reference(t, offset));
    CHECK(rfc3339(0, 6000) == "1970-01-05T04:00:00+100:00");
}

TEST_CASE("data: a project's last update is its newest revision, whichever file it touched", "[data]") {
    Library lib = open_data_library();
    Analysis a = open_data_analysis(lib);
    Revision late{std::string(40, 'e'), local_time({2020, 10, 30}, 20, 0, -300), -300, "plan change", {}, false};
    a.history.files["projects/2020-043.md"].amendments.push_back(late);
    const Revision* last = last_revision(lib, a, lib.projects[0]);
    REQUIRE(last);
    CHECK(last->commit == std::string(40, 'e'));
    CHECK_THAT(build(lib, a)["data/projects.json"], Catch::Contains(R"("last_updated": "2020-10-30T20:00:00-05:00",)"));
    CHECK(last_revision(lib, a, lib.projects[1]) == nullptr);
    CHECK(history_path(lib.reports[1]) == "reports/2020-043/2020-10.md");
    CHECK(history_path(lib.projects[0]) == "projects/2020-043.md");
}

TEST_CASE("data: each project's last revision, worked out once, is the one worked out at each ask", "[data]") {
    Library lib = open_data_library();
    Analysis a = open_data_analysis(lib);
    Revision late{std::string(40, 'e'), local_time({2020, 10, 30}, 20, 0, -300), -300, "plan change", {}, false};
    a.history.files["projects/2020-043.md"].amendments.push_back(late);
    std::vector<const Revision*> asked;
    for (const auto& p : lib.projects) asked.push_back(last_revision(lib, a, p));
    const auto before = build(lib, a);
    note_last_revisions(lib, a);
    REQUIRE(a.last_revisions.size() == lib.projects.size());
    for (std::size_t i = 0; i < lib.projects.size(); ++i) {
        INFO(lib.projects[i].id);
        CHECK(a.last_revisions.at(lib.projects[i].id) == asked[i]);
        CHECK(last_revision(lib, a, lib.projects[i]) == asked[i]);
    }
    CHECK(asked[0] != nullptr);
    CHECK(build(lib, a) == before);
    // What the table says is what is given: it is not worked out again.
    a.last_revisions[lib.projects[0].id] = nullptr;
    CHECK(last_revision(lib, a, lib.projects[0]) == nullptr);
}

TEST_CASE("data: each report's record, found once, is the one its path finds", "[data]") {
    Library lib = open_data_library();
    Analysis a = open_data_analysis(lib);
    const auto before = build(lib, a);
    note_last_revisions(lib, a);
    REQUIRE(a.report_histories.size() == lib.reports.size());
    std::size_t found = 0;
    for (const auto& r : lib.reports) {
        INFO(r.id);
        CHECK(a.history_of(lib, r) == a.history_of(history_path(r)));
        CHECK(last_revision(lib, a, r) == last_revision(a, history_path(r)));
        if (a.history_of(lib, r)) ++found;
    }
    CHECK(found > 0);
    CHECK(build(lib, a) == before);
    // The table is what is read for the library's reports; a report that is not one of them is
    // looked up by its path.
    const Report copy = lib.reports[0];
    REQUIRE(a.history_of(history_path(copy)) != nullptr);
    a.report_histories[0] = nullptr;
    CHECK(a.history_of(lib, lib.reports[0]) == nullptr);
    CHECK(a.history_of(lib, copy) == a.history_of(history_path(copy)));
}

TEST_CASE("data: a history entry without a publication is treated as no history", "[data]") {
    Library lib = open_data_library();
    Analysis a = open_data_analysis(lib);
    a.history.files["reports/2020-050/2020-q3.md"] = FileHistory{};
    auto files = build(lib, a);
    CHECK_THAT(files["data/reports.json"], Catch::Contains(R"(      "first_published": null,
      "amendments": [],
      "history_truncated": false,
      "sample_data": true)"));
    CHECK(last_revision(a, "reports/2020-050/2020-q3.md") == nullptr);
}
