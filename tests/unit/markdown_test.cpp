#include "markdown.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <utility>
#include <string>
#include <vector>

#include "fixture.h"

using namespace gongkai;

namespace {

bool contains(const std::string& html, const std::string& text) {
    if (html.find(text) != std::string::npos) return true;
    UNSCOPED_INFO("the HTML does not contain \"" << text << "\":\n" << html);
    return false;
}

bool lacks(const std::string& html, const std::string& text) {
    if (html.find(text) == std::string::npos) return true;
    UNSCOPED_INFO("the HTML contains \"" << text << "\", which it must not:\n" << html);
    return false;
}

}  // namespace

TEST_CASE("markdown: paragraphs, emphasis and Chinese text", "[markdown]") {
    auto md = render_markdown("根据督查通知的要求，现将**完成情况**反馈如下：\n");
    CHECK(md.html == "<p>根据督查通知的要求，现将<strong>完成情况</strong>反馈如下：</p>\n");
    CHECK(md.sections.empty());
}

TEST_CASE("markdown: GitHub tables", "[markdown]") {
    auto md = render_markdown("| 分目标 | 完成率 |\n| --- | ---: |\n| 高中 | 58% |\n");
    CHECK(contains(md.html, "<table>"));
    CHECK(contains(md.html, "<th>分目标</th>"));
    CHECK(contains(md.html, "<td style=\"text-align: right\">58%</td>"));
}

TEST_CASE("markdown: strikethrough and autolinks", "[markdown]") {
    auto md = render_markdown("~~旧目标~~ 见 https://www.shcn.gov.cn/\n");
    CHECK(contains(md.html, "<del>旧目标</del>"));
    CHECK(contains(md.html, "<a href=\"https://www.shcn.gov.cn/\">"));
}

TEST_CASE("markdown: raw HTML never passes through", "[markdown]") {
    auto md = render_markdown(
        "<script>alert(1)</script>\n\n"
        "段落 <img src=x onerror=\"alert(2)\"> 与 <a href=\"#\" onclick=\"alert(3)\">链接</a>\n\n"
        "<div style=\"display:none\">隐藏</div>\n\n"
        "<iframe src=\"https://evil.example/\"></iframe>\n");
    CHECK(lacks(md.html, "<script"));
    CHECK(lacks(md.html, "alert("));
    CHECK(lacks(md.html, "onerror"));
    CHECK(lacks(md.html, "onclick"));
    CHECK(lacks(md.html, "<img"));
    CHECK(lacks(md.html, "<div"));
    CHECK(lacks(md.html, "<iframe"));
    // The text around inline HTML stays.
    CHECK(contains(md.html, "段落"));
    CHECK(contains(md.html, "链接"));
}

TEST_CASE("markdown: HTML written in code is shown as text", "[markdown]") {
    auto md = render_markdown("`<script>` 标签\n\n```\n<b>x</b>\n```\n");
    CHECK(contains(md.html, "<code>&lt;script&gt;</code>"));
    CHECK(contains(md.html, "&lt;b&gt;x&lt;/b&gt;"));
    CHECK(lacks(md.html, "<script>"));
}

TEST_CASE("markdown: javascript:, vbscript: and data: links are removed", "[markdown]") {
    auto md = render_markdown(
        "[一](javascript:alert(1)) [二](JAVASCRIPT:alert(2)) [三](vbscript:msgbox) "
        "[四](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(5)> [五](https://example.org/)\n");
    CHECK(lacks(md.html, "href=\"javascript:"));
    CHECK(lacks(md.html, "href=\"JAVASCRIPT:"));
    CHECK(lacks(md.html, "href=\"vbscript:"));
    CHECK(lacks(md.html, "href=\"data:"));
    CHECK(lacks(md.html, "alert(1)"));
    CHECK(contains(md.html, "<a href=\"https://example.org/\">五</a>"));
    CHECK(contains(md.html, "一"));
}

TEST_CASE("markdown: level-2 headings are the sections, with ids", "[markdown]") {
    auto md = render_markdown(
        "引言\n\n## （一）目前进展情况\n\n### 1. 长宁教育\n\n正文\n\n## （二）存在的*困难*\n\n## "
        "（三）下一步工作措施\n");
    REQUIRE(md.sections.size() == 3);
    CHECK(md.sections[0].id == "section-1");
    CHECK(md.sections[0].title == "（一）目前进展情况");
    CHECK(md.sections[1].title == "（二）存在的困难");
    CHECK(md.sections[2].id == "section-3");
    CHECK(contains(md.html, "<h2 id=\"section-1\">（一）目前进展情况</h2>"));
    CHECK(contains(md.html, "<h2 id=\"section-2\">（二）存在的<em>困难</em></h2>"));
    CHECK(contains(md.html, "<h2 id=\"section-3\">"));
    // Level-3 headings are sub-goals, not sections.
    CHECK(contains(md.html, "<h3>1. 长宁教育</h3>"));
}

TEST_CASE("markdown: a section heading keeps the text of the unsafe links and images removed from it", "[markdown]") {
    auto md = render_markdown(
        "## （一）[进展](javascript:alert(1)) 与 ![图](data:image/png;base64,AAAA) *[计划](vbscript:x)*\n\n"
        "正文 [链接](https://example.org/)\n\n## [下一步](https://example.org/next)\n\n"
        "## [![图二](data:image/png;base64,AAAA)](javascript:alert(2)) 在内\n");
    REQUIRE(md.sections.size() == 3);
    CHECK(md.sections[0].title == "（一）进展 与 图 计划");
    CHECK(md.sections[1].title == "下一步");
    CHECK(md.sections[2].title == "图二 在内");
    CHECK(contains(md.html, "<h2 id=\"section-3\">图二 在内</h2>"));
    CHECK(contains(md.html, "<h2 id=\"section-1\">（一）进展 与 图 <em>计划</em></h2>"));
    CHECK(contains(md.html, "<h2 id=\"section-2\"><a href=\"https://example.org/next\">下一步</a></h2>"));
    CHECK(contains(md.html, "<a href=\"https://example.org/\">链接</a>"));
    CHECK(lacks(md.html, "javascript:"));
    CHECK(lacks(md.html, "data:"));
    CHECK(lacks(md.html, "vbscript:"));
    CHECK(lacks(md.html, "<img"));
}

TEST_CASE("markdown: setext level-2 headings count as sections too", "[markdown]") {
    auto md = render_markdown("进展\n----\n\n正文\n");
    REQUIRE(md.sections.size() == 1);
    CHECK(md.sections[0].title == "进展");
    CHECK(contains(md.html, "<h2 id=\"section-1\">进展</h2>"));
}

TEST_CASE("markdown: an <h2> typed as raw HTML gets no section id", "[markdown]") {
    auto md = render_markdown("<h2>伪造</h2>\n\n## 真的\n");
    REQUIRE(md.sections.size() == 1);
    CHECK(contains(md.html, "<h2 id=\"section-1\">真的</h2>"));
    CHECK(lacks(md.html, "伪造</h2>"));
}

TEST_CASE("find_deep_nesting: containers and emphasis add up, and shallow paragraphs do not", "[markdown]") {
    // Many paragraphs with emphasis, more marks in all than levels allowed: shallow all the same.
    std::string shallow;
    for (int i = 0; i < 200; ++i) shallow += "**完成** *of* [link](https://example.org/) ~~gone~~ " + std::to_string(i) + "\n\n";
    CHECK_FALSE(find_deep_nesting(shallow, 10).has_value());
    CHECK_FALSE(find_deep_nesting(shallow).has_value());

    // Quotes inside quotes, and emphasis inside emphasis in the innermost: 6 + 6 levels.
    std::string quotes(6, '>');
    std::string inner;
    for (int i = 0; i < 6; ++i) inner += "*a ";
    inner += "x";
    for (int i = 0; i < 6; ++i) inner += " b*";
    std::string deep = quotes + " " + inner + "\n";
    auto found = find_deep_nesting(deep, 10);
    REQUIRE(found.has_value());
    CHECK(found->depth == 12);
    CHECK(found->line == 1);
    CHECK_FALSE(find_deep_nesting(deep, 12).has_value());

    // Emphasis split over the lines of one paragraph is one paragraph.
    std::string lines = "intro\n\n";
    for (int i = 0; i < 12; ++i) lines += "*a\n";
    lines += "x\n";
    for (int i = 0; i < 12; ++i) lines += "b*\n";
    auto split = find_deep_nesting(lines, 10);
    REQUIRE(split.has_value());
    CHECK(split->depth == 12);
}

TEST_CASE("find_deep_nesting: an autolink and lines ended by a lone CR are counted too", "[markdown]") {
    // Images inside images, an autolink innermost: one '[' per image, no mark for the autolink.
    std::string images;
    for (int i = 0; i < 5; ++i) images += "![";
    images += "<http://example.org/>";
    for (int i = 0; i < 5; ++i) images += "](u)";
    auto linked = find_deep_nesting(images + "\n", 5);
    REQUIRE(linked.has_value());
    CHECK(linked->depth == 6);
    CHECK_FALSE(find_deep_nesting(images + "\n", 6).has_value());

    // Quotes on a line that a lone CR (old Mac line end) begins, as cmark-gfm reads it.
    std::string quotes = "x\r" + std::string(12, '>') + " y\r";
    auto deep = find_deep_nesting(quotes, 10);
    REQUIRE(deep.has_value());
    CHECK(deep->depth == 12);
}

namespace {

// The scans as they were before they skipped Chinese text eight bytes at a time, one byte after
// another: what the skipping scans must always agree with.
bool is_mark_byte(char c) { return c == '*' || c == '_' || c == '[' || c == '~'; }
bool is_prefix_byte(char c) { return std::string_view(" \t>-*+.)0123456789").find(c) != std::string_view::npos; }
bool is_word_byte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
}

bool reference_may_nest(std::string_view text, std::size_t max_depth) {
    std::size_t deepest_prefix = 0, prefix = 0, most_marks = 0, marks = 0;
    bool at_line_start = true, blank = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (!is_mark_byte(ch) && !is_prefix_byte(ch) && !is_word_byte(ch) && ch != ' ' && ch != '\t' &&
            ch != '\r' && ch != '\n' && ch != '|') {  // a byte the scan has no class for
            at_line_start = blank = false;
            continue;
        }
        if (ch == '\n' || (ch == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
            if (blank) marks = 0;
            at_line_start = blank = true;
            prefix = 0;
            continue;
        }
        if (ch != ' ' && ch != '\t' && ch != '\r') blank = false;
        if (is_mark_byte(ch)) most_marks = std::max(most_marks, ++marks);
        if (at_line_start) {
            if (is_prefix_byte(ch)) deepest_prefix = std::max(deepest_prefix, ++prefix);
            else at_line_start = false;
        }
        if (deepest_prefix * 2 + most_marks + 1 > max_depth) return true;
    }
    return false;
}

// The line of the first problem (0 for none), and the longest run's length when the problem
// is that run.
std::pair<std::size_t, std::size_t> reference_render_limit(std::string_view text) {
    std::size_t line = 1, run = 0, longest = 0, longest_line = 0, cells = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (is_word_byte(ch)) {
            if (++run > longest) {
                longest = run;
                longest_line = line;
            }
            continue;
        }
        run = 0;
        if (ch == '|' && (i == 0 || text[i - 1] != '\\') && ++cells > max_table_cells) return {line, 0};
        if (ch == '\n') {
            ++line;
            cells = 0;
        }
    }
    if (longest > max_markdown_run) return {longest_line, longest};
    return {0, 0};
}

// Text made of Chinese runs of many lengths (8 and 24 bytes among them) beside the bytes the scans
// look for, so that each falls at every place within eight bytes; pipes often enough for a row
// of too many cells.
// Without lone_cr, a CR comes only before an LF.
std::string mixed_text(std::mt19937& random, std::size_t pieces, std::size_t word_length, bool lone_cr) {
    static const std::vector<std::string> kinds = {
        "完", "成率", "现代化为主线", "现代化为主线促进", "，", "\n", "\r", "\r\n", "\n\n", "*", "_", "[", "~", "|", "\\|", " ", "\t",
        "> ", "- ", "1. ", "+", ")", "a", "7", ".", "-"};
    std::string text;
    for (std::size_t i = 0; i < pieces; ++i) {
        const std::string& kind = kinds[random() % kinds.size()];
        if (kind == "\r" && !lone_cr) continue;
        if (kind == "a") text.append(random() % word_length + 1, 'a');
        else if (kind == "|") text.append(random() % 200 + 1, '|');
        else text += kind;
    }
    return text;
}

}  // namespace

TEST_CASE("the scans before a parse agree with a scan of one byte at a time", "[markdown]") {
    std::mt19937 random(20261129);
    for (int round = 0; round < 3000; ++round) {
        // Runs of letters up to 8, 700 or 2100 long: the last often longer than max_markdown_run.
        const std::size_t word_length = round % 5 == 0 ? 2100 : round % 2 ? 8 : 700;
        std::string text = mixed_text(random, random() % 300, word_length, round % 3 == 0);
        INFO("text: " << text);
        for (std::size_t depth : {0, 1, 2, 3, 5, 8, 13, 40, 100}) {
            INFO("max depth " << depth);
            REQUIRE(may_nest_deeper_than(text, depth) == reference_may_nest(text, depth));
        }
        auto limit = find_render_limit(text);
        const auto [line, length] = reference_render_limit(text);
        REQUIRE((limit ? limit->line : 0) == line);
        // A run's problem names its length, as the reference found it.
        if (limit && length) REQUIRE(limit->problem.find(" " + std::to_string(length) + " ") != std::string::npos);
    }
}

TEST_CASE("the scans before a parse count every mark of a very long line", "[markdown]") {
    // 4,096 marks in a line: some 256 in each of the sixteen bytes the line is counted in at a
    // time, more than such a count holds.
    for (const char mark : {'*', '_', '[', '~'}) {
        const std::string text = "x" + std::string(4096, mark);
        INFO("mark " << mark);
        CHECK(may_nest_deeper_than(text, 4096));
        CHECK_FALSE(may_nest_deeper_than(text, 4097));
        CHECK(may_nest_deeper_than(text, 40) == reference_may_nest(text, 40));
    }
}

TEST_CASE("the scan before a parse counts a paragraph's marks exactly, wherever they fall", "[markdown]") {
    // Paragraphs of a few lines, none starting with a list's or a quote's marker, with marks among
    // Chinese and ASCII text: the bound is the most marks in one paragraph, plus one, so the scan
    // must answer yes at that many and no at one more.
    std::mt19937 random(29);
    const char marks[] = {'*', '_', '[', '~'};
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        std::size_t most = 0;
        const int paragraphs = 1 + static_cast<int>(random() % 4);
        for (int p = 0; p < paragraphs; ++p) {
            if (p) text += "\n\n";
            std::size_t count = 0;
            const int lines = 1 + static_cast<int>(random() % 3);
            for (int l = 0; l < lines; ++l) {
                if (l) text += '\n';
                text += random() % 2 ? "x" : "完";
                const std::size_t length = random() % 40;
                for (std::size_t k = 0; k < length; ++k) {
                    const unsigned r = random() % 8;
                    if (r == 0) {
                        text += marks[random() % 4];
                        ++count;
                    } else {
                        text += r < 4 ? "率" : "a";
                    }
                }
            }
            most = std::max(most, count);
        }
        INFO("text: " << text);
        // (At 0, a bound of its own: see may_nest_deeper_than.)
        if (most > 0) {
            REQUIRE(may_nest_deeper_than(text, most));
            REQUIRE(reference_may_nest(text, most));
        }
        REQUIRE_FALSE(may_nest_deeper_than(text, most + 1));
        REQUIRE_FALSE(reference_may_nest(text, most + 1));
    }
}

TEST_CASE("the scans before a parse see what follows long Chinese text", "[markdown]") {
    const std::string chinese = "根据督查通知的要求现将我单位所涉项目完成情况反馈如下";  // 26 characters, 78 bytes
    // Marks and quote markers after Chinese text at every offset.
    for (std::size_t pad = 0; pad < 9; ++pad) {
        std::string text = std::string(pad, 'x') + chinese + "**" + chinese + "__[" + chinese + "~\n>>>>" + chinese;
        INFO("padding " << pad);
        // Four quote markers (two levels each) and six marks in the paragraph: 4 * 2 + 6 + 1.
        CHECK(may_nest_deeper_than(text, 14));
        CHECK_FALSE(may_nest_deeper_than(text, 15));
        // A table row of too many cells, on line 3, after Chinese lines.
        std::string table = std::string(pad, 'x') + chinese + "\n" + chinese + "\n" + chinese;
        for (std::size_t cell = 0; cell <= max_table_cells; ++cell) table += "|" + chinese.substr(0, 3 * (cell % 5));
        auto limit = find_render_limit(table);
        REQUIRE(limit.has_value());
        CHECK(limit->line == 3);
        // A long run of letters breaks at Chinese text.
        std::string run = chinese + std::string(max_markdown_run, 'a') + chinese + "a";
        CHECK_FALSE(find_render_limit(run).has_value());
        CHECK(find_render_limit(run + std::string(max_markdown_run, 'b')).has_value());
        // A line just long enough for a run one letter too long, after Chinese lines.
        std::string lines = std::string(pad, 'x') + chinese + "\n" + chinese + "\n" +
                            std::string(max_markdown_run + 1, 'c') + "\n" + chinese;
        auto run_limit = find_render_limit(lines);
        REQUIRE(run_limit.has_value());
        CHECK(run_limit->line == 3);
        CHECK(run_limit->problem.find(std::to_string(max_markdown_run + 1)) != std::string::npos);
        CHECK_FALSE(find_render_limit(std::string(max_markdown_run, 'c') + "\n" + chinese).has_value());
    }
}

TEST_CASE("markdown: each document renders the same whatever its thread rendered before, and on threads at once",
          "[markdown]") {
    // cmark's allocations for a thread's documents come from one arena, reused from document to
    // document: each must render as it does on a thread of its own, the first it renders.
    std::vector<std::string> documents;
    std::ifstream hostile(gongkai::test::source_dir() + "/tests/hostile/markdown.txt");
    std::stringstream all;
    all << hostile.rdbuf();
    const std::string text = all.str();
    for (std::size_t from = text.find("\n%%\n"); from != std::string::npos;) {
        const std::size_t to = text.find("\n%%\n", from + 4);
        documents.push_back(text.substr(from + 4, to == std::string::npos ? std::string::npos : to - from - 4));
        from = to;
    }
    REQUIRE(documents.size() > 20);
    // Larger than the arena's first block, with tables and lists whose buffers grow across blocks.
    std::string large;
    for (int i = 0; i < 8000; ++i)
        large += "## 第" + std::to_string(i) + "节\n\n| 项目 | 完成率 |\n| --- | --- |\n| 学校" + std::to_string(i) +
                 " | " + std::to_string(i % 100) + "% |\n\n1. **进展** " + std::string(static_cast<std::size_t>(i % 97), 'x') +
                 "\n2. 下一步\n\n";
    REQUIRE(large.size() > (std::size_t(1) << 20));
    documents.push_back(large);
    documents.push_back("");
    documents.push_back("一句话。");

    // Each alone, on a thread of its own.
    std::vector<std::string> expected(documents.size());
    for (std::size_t i = 0; i < documents.size(); ++i)
        std::thread([&, i] { expected[i] = render_markdown(documents[i]).html; }).join();
    CHECK(expected[documents.size() - 3].find("<h2 id=\"section-8000\">第7999节</h2>") != std::string::npos);

    // All on one thread, in turn, twice over.
    for (int round = 0; round < 2; ++round)
        for (std::size_t i = 0; i < documents.size(); ++i) {
            INFO("document " << i << ", round " << round);
            CHECK(render_markdown(documents[i]).html == expected[i]);
        }
    // On four threads at once, each in an order of its own.
    std::vector<std::vector<std::string>> got(4, std::vector<std::string>(documents.size()));
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            std::vector<std::size_t> order(documents.size());
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
            std::shuffle(order.begin(), order.end(), std::mt19937(t));
            for (std::size_t i : order) got[t][i] = render_markdown(documents[i]).html;
        });
    for (auto& thread : threads) thread.join();
    for (unsigned t = 0; t < 4; ++t)
        for (std::size_t i = 0; i < documents.size(); ++i) {
            INFO("thread " << t << ", document " << i);
            CHECK(got[t][i] == expected[i]);
        }
}
