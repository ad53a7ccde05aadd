#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "git_repo.h"
#include "site_files.h"

using namespace gongkai;
using gongkai::test::commit_at;
using gongkai::test::never_says;
using gongkai::test::says;
using gongkai::test::differences;
using gongkai::test::file_exists;
using gongkai::test::GitRepo;
using gongkai::test::list_files;
using gongkai::test::parse_fixture;
using gongkai::test::read_file;
using gongkai::test::run;
using gongkai::test::shell_quote;
using gongkai::test::source_themes_dir;
using gongkai::test::TempDir;

namespace fs = std::filesystem;

// The charts of a site with several periods, read as a reader (or a screen reader) meets them:
// each chart's numbers must also be in its text equivalent and in the table beside it.

namespace {

// Builds HEAD of repo with the default theme into out; true when it succeeds.
bool build(const GitRepo& repo, const fs::path& out) {
    auto r = gongkai::test::gongkai_cli(
        {"build", "--repo", repo.dir(), "--out", out.string(), "--theme-dir", source_themes_dir()});
    if (r.status == 0) return true;
    UNSCOPED_INFO("gongkai build exited " << r.status << ":\n" << r.output);
    return false;
}

// The text between the first from after at and the to after it; "" when either is missing.
std::string between(const std::string& s, const std::string& from, const std::string& to, std::size_t at = 0) {
    auto start = s.find(from, at);
    if (start == std::string::npos) return "";
    start += from.size();
    auto end = s.find(to, start);
    return end == std::string::npos ? "" : s.substr(start, end - start);
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
    return n;
}

std::vector<std::string> split(const std::string& s, const std::string& separator) {
    std::vector<std::string> out;
    std::size_t at = 0;
    for (auto next = s.find(separator); next != std::string::npos; next = s.find(separator, at)) {
        out.push_back(s.substr(at, next - at));
        at = next + separator.size();
    }
    out.push_back(s.substr(at));
    return out;
}

// The inline chart whose id is id, as the page holds it: from its <svg to its </svg>.
std::string chart_in(const std::string& page, const std::string& id) {
    auto at = page.find("id=\"" + id + "\"");
    if (at == std::string::npos) return "";
    auto start = page.rfind("<svg", at);
    auto end = page.find("</svg>", at);
    return end == std::string::npos ? "" : page.substr(start, end + 6 - start);
}

// One report's figures: its period, its completion and the expected progress beside it.
struct Figures {
    std::string period, completion, expected;
    bool operator==(const Figures&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Figures& f) {
    return out << "{" << f.period << " " << f.completion << " / " << f.expected << "}";
}

// The figures the progress chart's description states, oldest first: "2020 年 1–3 月完成率 20%（序时进度 24.9%）、…".
std::vector<Figures> described(const std::string& chart) {
    std::vector<Figures> out;
    std::string desc = between(chart, "-desc\">", "</desc>");
    for (const auto& point : split(desc, "、")) {
        auto rate = point.find("完成率 ");
        out.push_back({point.substr(0, rate), between(point, "完成率 ", "（"), between(point, "（序时进度 ", "）")});
    }
    return out;
}

// The figures of the table of reports on a project page, oldest first (the table is newest first).
std::vector<Figures> tabled(const std::string& page) {
    std::vector<Figures> out;
    std::string body = between(page, "gk-table--reports", "</tbody>");
    auto rows = split(body, "<tr>");
    for (std::size_t i = rows.size(); i-- > 2;)  // rows[0] precedes the header, rows[1] is the header
        out.push_back(Figures{between(rows[i], "/\">", "</a>"), between(rows[i], "gk-figure__value\">", "</span>"),
                              between(rows[i], "data-label=\"序时进度\">", "</td>")});
    return out;
}

const std::string fixture = R"(
-- gongkai.toml --
title = "示例区重点工作推进情况"
language = "zh-CN"
base_url = "https://example.org/progress/"
publisher = "示例区人民政府"
-- departments/transport.toml --
name = "示例区交通委员会"
short_name = "区交通委"
-- departments/education.toml --
name = "示例区教育局"
short_name = "区教育局"
-- departments/culture.toml --
name = "示例区文化旅游局"
-- projects/2020-007.md --
+++
title = "完善慢行交通网络"
year = 2020
number = "007"
department = "transport"
+++
建设慢行步道。
-- projects/2020-012.md --
+++
title = "建设智慧校园"
year = 2020
number = "012"
department = "education"
co_departments = ["transport"]
+++
推进校园信息化。
-- projects/2020-020.md --
+++
title = "举办社区文化节"
year = 2020
number = "020"
department = "culture"
+++
尚未开始。
-- reports/2020-007/2020-03.md --
+++
period_start = 2020-01-01
period_end = 2020-03-31
date = 2020-04-02
completion = 20
+++
一季度推进情况。
-- reports/2020-007/2020-06.md --
+++
period_start = 2020-01-01
period_end = 2020-06-30
date = 2020-07-02
completion = 45
+++
上半年推进情况。
-- reports/2020-007/2020-09.md --
+++
period_start = 2020-01-01
period_end = 2020-09-30
date = 2020-10-09
completion = 70
+++
前三季度推进情况。
-- reports/2020-007/2020-10.md --
+++
period_start = 2020-01-01
period_end = 2020-10-31
date = 2020-11-02
completion = 80
+++
1–10 月推进情况。
-- reports/2020-012/2020-06.md --
+++
period_start = 2020-01-01
period_end = 2020-06-30
date = 2020-07-03
completion = 50
+++
上半年推进情况。
-- reports/2020-012/2020-10.md --
+++
period_start = 2020-01-01
period_end = 2020-10-31
date = 2020-11-03
completion = 90
+++
1–10 月推进情况。
)";

// The fixture, committed on 5 November 2020, when every period of its reports is over.
struct Site {
    GitRepo repo;
    TempDir out;
    fs::path dir;
    Site() {
        repo.write(parse_fixture(fixture));
        commit_at(repo, "发布各期报告", "2020-11-05T12:00:00+08:00");
        dir = out / "site";
    }
};

// Every chart file and the page that shows it inline.
const std::vector<std::pair<std::string, std::string>> charts = {
    {"projects/2020-007/progress.svg", "projects/2020-007/index.html"},
    {"projects/2020-012/progress.svg", "projects/2020-012/index.html"},
    {"departments/transport/completion.svg", "departments/transport/index.html"},
    {"departments/education/completion.svg", "departments/education/index.html"},
    {"departments/culture/completion.svg", "departments/culture/index.html"},
    {"charts/status.svg", "index.html"},
    {"charts/departments.svg", "index.html"},
};

const std::string xml_declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

}  // namespace

TEST_CASE("charts: the project chart has a point per report, each labelled with its figure", "[integration][charts]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    std::string chart = chart_in(read_file(s.dir / "projects/2020-007/index.html"), "progress-2020-007");
    REQUIRE_FALSE(chart.empty());
    // One dot per report (the legend's dot is smaller), on the line through them.
    CHECK(count(chart, "r=\"5\"") == 4);
    CHECK(chart.find("<polyline class=\"gk-actual\" fill=\"none\" stroke=\"#1d5b8f\" stroke-width=\"3\" "
                     "points=\"193.22,216.8 334.45,162.8 477.22,108.8 525.33,87.2\"/>") != std::string::npos);
    for (const char* label : {"20%", "45%", "70%", "80%"}) {
        INFO("the label " << label);
        CHECK(count(chart, std::string("font-weight=\"bold\">") + label + "</text>") == 1);
    }
    // Even progress, from the start of the year to its end.
    CHECK(chart.find("<polyline class=\"gk-expected\" fill=\"none\" stroke=\"#505a5f\" stroke-width=\"2\" "
                     "stroke-dasharray=\"6 4\" points=\"52,260 620,44\"/>") != std::string::npos);
    CHECK(chart.find(">10月</text>") != std::string::npos);
}

TEST_CASE("charts: the chart's description and the table beside it state the same figures", "[integration][charts]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    std::string page = read_file(s.dir / "projects/2020-007/index.html");
    const std::vector<Figures> expected = {{"2020 年 1–3 月", "20%", "24.9%"},
                                           {"2020 年 1–6 月", "45%", "49.7%"},
                                           {"2020 年 1–9 月", "70%", "74.9%"},
                                           {"2020 年 1–10 月", "80%", "83.3%"}};
    CHECK(described(chart_in(page, "progress-2020-007")) == expected);
    CHECK(tabled(page) == expected);
    CHECK(says(s.dir, "projects/2020-007/index.html", "<span class=\"gk-chart-figure__note\">图中数据见下表。</span>"));
}

TEST_CASE("charts: a report whose period is still running states one expected figure in the chart and the table",
          "[integration][charts]") {
    // Committed on 21 October, before October's report's period ends: the page measures it at the
    // commit's day; the chart's text equivalent must say the same.
    GitRepo repo;
    repo.write(parse_fixture(fixture));
    commit_at(repo, "发布各期报告", "2020-10-21T12:00:00+08:00");
    TempDir out;
    REQUIRE(build(repo, out / "site"));
    std::string page = read_file(out / "site/projects/2020-007/index.html");
    auto in_table = tabled(page);
    auto in_chart = described(chart_in(page, "progress-2020-007"));
    REQUIRE(in_table.size() == 4);
    CHECK(in_table.back() == Figures{"2020 年 1–10 月", "80%", "80.6%"});
    CHECK(in_chart == in_table);
    CHECK(says(out / "site", "projects/2020-007/index.html",
               "截至 2020 年 10 月 21 日的序时进度：<strong>80.6%</strong>"));
}

TEST_CASE("charts: each chart file is the chart on its page, with an XML declaration", "[integration][charts]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    for (const auto& [svg, page] : charts) {
        INFO("the chart " << svg << " on " << page);
        REQUIRE(file_exists(s.dir, svg));
        std::string file = read_file(s.dir / svg);
        REQUIRE(file.starts_with(xml_declaration));
        REQUIRE(file.ends_with("</svg>\n"));
        std::string markup = file.substr(xml_declaration.size(), file.size() - xml_declaration.size() - 1);
        CHECK(read_file(s.dir / page).find(markup) != std::string::npos);
        CHECK(count(markup, "<svg") == 1);
    }
    // Each page offers its chart for download.
    CHECK(says(s.dir, "projects/2020-007/index.html",
               "<a class=\"gk-download\" href=\"../../projects/2020-007/progress.svg\" download"));
    CHECK(says(s.dir, "departments/transport/index.html",
               "<a class=\"gk-download\" href=\"../../departments/transport/completion.svg\" download"));
    CHECK(says(s.dir, "index.html", "<a class=\"gk-download\" href=\"charts/status.svg\" download"));
    CHECK(says(s.dir, "index.html", "<a class=\"gk-download\" href=\"charts/departments.svg\" download"));
    // No reports, no completion chart.
    CHECK_FALSE(fs::exists(s.dir / "projects/2020-020/progress.svg"));
    CHECK(read_file(s.dir / "projects/2020-020/index.html").find("gk-chart-figure") == std::string::npos);
}

TEST_CASE("charts: every chart is an image named by its <title> and described by its <desc>", "[integration][charts]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    const std::vector<std::pair<std::string, std::string>> titles = {
        {"projects/2020-007/progress.svg", "完善慢行交通网络：完成率与序时进度"},
        {"projects/2020-012/progress.svg", "建设智慧校园：完成率与序时进度"},
        {"departments/transport/completion.svg", "示例区交通委员会各项目完成率"},
        {"departments/education/completion.svg", "示例区教育局各项目完成率"},
        {"departments/culture/completion.svg", "示例区文化旅游局各项目完成率"},
        {"charts/status.svg", "各状态项目数"},
        {"charts/departments.svg", "各部门平均完成率"},
    };
    for (const auto& [svg, title] : titles) {
        INFO("the chart " << svg);
        std::string file = read_file(s.dir / svg);
        std::string id = between(file, "class=\"gk-chart\" id=\"", "\"");
        REQUIRE_FALSE(id.empty());
        CHECK(file.find("role=\"img\" aria-labelledby=\"" + id + "-title " + id + "-desc\"") != std::string::npos);
        CHECK(file.find("<title id=\"" + id + "-title\">" + title + "</title><desc id=\"" + id + "-desc\">") !=
              std::string::npos);
        CHECK_FALSE(between(file, "<desc id=\"" + id + "-desc\">", "</desc>").empty());
        // Chinese labels, with fonts that have the glyphs.
        CHECK(file.find("&quot;Noto Sans CJK SC&quot;") != std::string::npos);
        CHECK(file.find("<script") == std::string::npos);
    }
    CHECK(says(s.dir, "departments/culture/completion.svg",
               "<desc id=\"completion-culture-desc\">第 020 项 举办社区文化节 暂无报告</desc>"));
}

TEST_CASE("charts: a department's chart marks a project behind schedule in words, not colour alone",
          "[integration][charts]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    // transport leads 2020-007 (80% by 31 October: behind) and shares 2020-012 (90%).
    const std::string svg = "departments/transport/completion.svg";
    CHECK(says(s.dir, svg,
               "<desc id=\"completion-transport-desc\">第 007 项 完善慢行交通网络 80% 滞后、第 012 项 建设智慧校园 "
               "90%</desc>"));
    CHECK(says(s.dir, svg, "fill=\"#b3261e\" font-weight=\"bold\">80% 滞后</text>"));
    CHECK(says(s.dir, svg, "fill=\"#0b0c0c\" font-weight=\"bold\">90%</text>"));
    CHECK(count(read_file(s.dir / svg), "fill=\"url(#completion-transport-hatch)\"") == 2);  // the legend and one bar
    CHECK(says(s.dir, svg, ">滞后于序时进度</text>"));
    // The same figures in the table beside it.
    const std::string page = "departments/transport/index.html";
    CHECK(says(s.dir, page, "<a href=\"../../projects/2020-007/\">完善慢行交通网络</a>"));
    CHECK(says(s.dir, page, "<span class=\"gk-figure__value\">80%</span>"));
    CHECK(says(s.dir, page, "<span class=\"gk-judgement gk-judgement--behind\">滞后于序时进度</span>"));
    CHECK(says(s.dir, page, "<span class=\"gk-figure__value\">90%</span>"));
    CHECK(says(s.dir, page, "<span class=\"gk-expected\">序时进度 83.3%</span>"));
}

TEST_CASE("charts: the home page's charts and their tables state the same figures", "[integration][charts]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    CHECK(
        says(s.dir, "charts/status.svg",
             "<desc id=\"status-desc\">已完成 0、推进中 2、未启动 0、暂无报告 1、滞后于序时进度 1、报告逾期 0</desc>"));
    for (const auto& [label, n] : std::vector<std::pair<std::string, std::string>>{{"已完成", "0"},
                                                                                   {"推进中", "2"},
                                                                                   {"未启动", "0"},
                                                                                   {"暂无报告", "1"},
                                                                                   {"滞后于序时进度", "1"},
                                                                                   {"报告逾期", "0"}}) {
        CHECK(says(s.dir, "index.html",
                   "<th scope=\"row\">" + label + "</th> <td class=\"gk-table__numeric\">" + n + "</td>"));
        CHECK(says(s.dir, "charts/status.svg", ">" + label + "</text>"));
    }
    // Departments by id: culture (no figures), education, transport.
    CHECK(says(s.dir, "charts/departments.svg",
               "<desc id=\"departments-desc\">示例区文化旅游局 暂无报告、区教育局 90%、区交通委 80%</desc>"));
    CHECK(says(s.dir, "index.html",
               "<a href=\"departments/education/\">示例区教育局</a></th> <td class=\"gk-table__numeric\" "
               "data-label=\"项目数\">1</td> "
               "<td class=\"gk-table__numeric\" data-label=\"平均完成率\">90%</td>"));
    CHECK(says(s.dir, "index.html",
               "<a href=\"departments/transport/\">示例区交通委员会</a></th> <td class=\"gk-table__numeric\" "
               "data-label=\"项目数\">2</td> "
               "<td class=\"gk-table__numeric\" data-label=\"平均完成率\">80%</td>"));
    CHECK(says(s.dir, "index.html", "<dt>平均完成率</dt> <dd>85%</dd>"));
}

TEST_CASE("charts: no page and no chart carries a script", "[integration][charts]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    for (const auto& f : list_files(s.dir)) {
        if (!f.ends_with(".html") && !f.ends_with(".svg")) continue;
        INFO(f);
        CHECK(read_file(s.dir / f).find("<script") == std::string::npos);
    }
}

TEST_CASE("charts: an English site's charts speak English", "[integration][charts]") {
    GitRepo repo;
    auto files = parse_fixture(fixture);
    auto& config = files["gongkai.toml"];
    config.replace(config.find("language = \"zh-CN\""), std::string("language = \"zh-CN\"").size(),
                   "language = \"en\"");
    repo.write(files);
    commit_at(repo, "Publish", "2020-11-05T12:00:00+08:00");
    TempDir out;
    REQUIRE(build(repo, out / "site"));
    std::string chart = read_file(out / "site/projects/2020-007/progress.svg");
    CHECK(chart.find(
              "<title id=\"progress-2020-007-title\">完善慢行交通网络: completion and expected progress</title>") !=
          std::string::npos);
    CHECK(chart.find(">Oct</text>") != std::string::npos);
    CHECK(chart.find(">Reported completion</text>") != std::string::npos);
    CHECK(chart.find("(expected 83.3%)") != std::string::npos);
    CHECK(chart.find("序时进度") == std::string::npos);
    CHECK(read_file(out / "site/departments/transport/completion.svg").find("80% behind</text>") != std::string::npos);
}

TEST_CASE("charts: two builds of one commit draw the same bytes", "[integration][charts]") {
    Site s;
    REQUIRE(build(s.repo, s.dir));
    REQUIRE(build(s.repo, s.out / "again"));
    auto diff = differences(s.dir, s.out / "again");
    INFO(diff.size() << " files differ");
    for (const auto& d : diff) UNSCOPED_INFO(d);
    CHECK(diff.empty());
}

TEST_CASE("charts: control characters in the content never reach a chart, which must stay well-formed XML",
          "[integration][charts]") {
    // TOML lets a string hold any character as an escape ("\u0001"); XML 1.0 cannot carry most
    // control characters at all. Either the content is refused, naming the file, or the charts
    // leave the characters out.
    GitRepo repo;
    auto files = parse_fixture(fixture);
    files["departments/transport.toml"] = "name = \"示例区交通\\u0001委员会\"\n";
    auto& project = files["projects/2020-007.md"];
    project.replace(project.find("title = "), project.find('\n', project.find("title = ")) - project.find("title = "),
                    "title = \"完善慢行\\u0007交通网络\\u001b[0m\"");
    repo.write(files);
    commit_at(repo, "发布", "2020-11-05T12:00:00+08:00");
    TempDir out;
    auto r = gongkai::test::gongkai_cli(
        {"build", "--repo", repo.dir(), "--out", (out / "site").string(), "--theme-dir", source_themes_dir()});
    INFO(r.output);
    if (r.status != 0) {
        CHECK(r.output.find("departments/transport.toml") != std::string::npos);
        CHECK(r.output.find("projects/2020-007.md") != std::string::npos);
        return;
    }
    for (const auto& f : list_files(out / "site")) {
        if (!f.ends_with(".svg") && !f.ends_with(".xml")) continue;
        std::string bytes = read_file(out / "site" / f);
        auto bad = std::find_if(bytes.begin(), bytes.end(), [](char c) {
            auto u = static_cast<unsigned char>(c);
            return u < 0x20 && c != '\n' && c != '\r' && c != '\t';
        });
        std::string what = bad == bytes.end() ? ""
                                              : "control character " + std::to_string(int(*bad)) + " at byte " +
                                                    std::to_string(bad - bytes.begin());
        INFO(f);
        CHECK(what == "");
    }
}
