#include "commands/explain.h"

#include <regex>
#include <string>
#include <vector>

namespace gongkai {

namespace {

// One English message pattern and its Chinese problem and advice; $1, $2… are the pattern's
// groups, {type} words are translated first.
struct Wording {
    std::regex pattern;
    const char* problem;
    const char* instead;
};

const std::vector<Wording>& chinese() {
    static const std::vector<Wording> table = [] {
        auto w = [](const char* re, const char* problem, const char* instead) {
            return Wording{std::regex(re), problem, instead};
        };
        return std::vector<Wording>{
            w("^missing required key; add (.*)$", "缺少必填项", "加上一行 $1"),
            w("^must not be empty$", "不能为空", "在引号中写上内容"),
            w("^expected a string in quotes, found (.*)$", "应为带引号的文字，实际是$1", "写成 键 = \"文字\""),
            w("^expected a whole number, found (.*)$", "应为整数，实际是$1", "写不带引号的整数，例如 2020"),
            w("^(\\S+) is out of range: expected (\\S+) to (\\S+)$", "$1 超出范围", "写 $2 到 $3 之间的整数"),
            w("^expected true or false, found (.*?)(; write true or false without quotes)?$",
              "应为 true 或 false，实际是$1", "写不带引号的 true 或 false"),
            w("^expected a date without a time .*$", "应为日期，不带时间", "写成 2020-10-21 的形式，不加引号"),
            w("^expected a date, found (.*?) \\(a date is written.*$", "应为日期，实际是$1",
              "写成 2020-10-21 的形式，不加引号"),
            w("^expected a percentage from 0 to 100, found (.*?)(; write the number.*)?$",
              "应为 0 到 100 的百分数，实际是$1", "写不带引号和 % 的数字（写 90，不写 \"90%\"）"),
            w("^(\\S+) is out of range: a percentage is from 0 to 100$", "$1 超出范围：百分数在 0 到 100 之间",
              "写 0 到 100 之间的数"),
            w("^read as (\\S+)%; if you meant a fraction, write the percentage instead \\((\\S+)\\)$",
              "读作 $1%", "如果指的是比例，请写成百分数（$2）"),
            w("^unknown key; expected one of: (.*)$", "未知的键（多半是拼写错误）", "以下之一：$1"),
            w("^expected an array of strings like .*, found (.*)$", "应为文字数组，实际是$1",
              "写成 [\"a\", \"b\"] 的形式"),
            w("^front matter is TOML between '\\+\\+\\+' lines; found '---' \\(YAML\\) instead$",
              "文件头应写在两行 +++ 之间，这里用了 ---（YAML 写法）", "把上下两行 --- 改为 +++，其间按 TOML 写：键 = 值"),
            w("^expected front matter: the first line must be '\\+\\+\\+'$", "缺少文件头",
              "第一行写 +++，接着写各键，再写一行 +++"),
            w("^front matter is never closed: add a line '\\+\\+\\+' after the last key$", "文件头没有结束",
              "在最后一个键之后加一行 +++"),
            w("^invalid TOML: (.*)$", "TOML 语法错误（$1）", "检查这一行的引号、等号和括号"),
            w("^unknown department '(.*)': no file departments/.*$", "未知部门“$1”：没有 departments/$1.toml 文件",
              "检查拼写，或用 gongkai new department $1 新建该部门"),
            w("^unknown project '(.*)': no file projects/.*$", "未知项目“$1”：没有 projects/$1.md 文件",
              "检查文件夹名，或用 gongkai new project $1 新建该项目"),
            w("^the period ends \\((.*)\\) before it starts \\((.*)\\)$", "期末（$1）早于期初（$2）",
              "检查 period_start 和 period_end"),
            w("^the report is dated (\\S+), before its period starts \\((.*)\\)$", "落款日期 $1 早于期初 $2",
              "检查 date 和 period_start"),
            w("^a report needs a completion rate .*$", "报告需要完成率或进度判断",
              "加上 completion = 90 或 on_schedule = true"),
            w("^is not valid UTF-8 text.*$", "不是有效的 UTF-8 文本", "用 UTF-8 编码另存此文件"),
            w("^is a binary file, not UTF-8 text$", "是二进制文件，不是 UTF-8 文本", "只提交文本文件"),
            w("^'(.*)' is not a valid (\\S+) id: .*$", "“$1”不能用作编号",
              "文件名只用小写字母、数字和 -，至多 64 个字符，例如 2020-043"),
            w("^duplicate goal id '(.*)': .*$", "子目标编号“$1”重复", "给每个子目标一个不同的编号"),
            w("^'(.*)' is not a valid goal id: .*$", "“$1”不能用作子目标编号", "只用字母、数字、. 和 -，例如 \"1.2\""),
            w("^'(.*)' is not a supported language: .*$", "不支持的语言“$1”", "写 \"zh-CN\" 或 \"en\""),
            w("^covers the same period as (.*): one report per project per period$", "与 $1 报告同一期",
              "每个项目每期只写一份报告：改正日期，或删去其中一份"),
            w("^project '(.*)' has no goal with id '(.*)'$", "项目“$1”没有编号为“$2”的子目标",
              "改用项目文件 [[goals]] 中的编号"),
            w("^symbolic links are not published; .*$", "符号链接不会发布", "提交文件本身"),
        };
    }();
    return table;
}

// The English type names of describe_type, in Chinese.
std::string chinese_types(std::string text) {
    static const std::pair<const char*, const char*> types[] = {
        {"a date with a time", "带时间的日期"}, {"a decimal number", "小数"}, {"an integer", "整数"},
        {"a string", "文字"}, {"a boolean", "true/false"}, {"a date", "日期"}, {"a time", "时间"},
        {"an array", "数组"}, {"a table", "表"}, {"nothing", "空值"}};
    for (const auto& [en, zh] : types) {
        if (text == en) return zh;
    }
    return text;
}

}  // namespace

Advice explain(const Diagnostic& d, std::string_view language) {
    Advice english = split_advice(d.message);
    if (!language.starts_with("zh")) return english;
    for (const auto& w : chinese()) {
        std::smatch m;
        if (!std::regex_match(d.message, m, w.pattern)) continue;
        std::string problem = w.problem, instead = w.instead;
        for (std::size_t i = m.size(); i-- > 1;) {
            std::string token = "$" + std::to_string(i);
            std::string value = chinese_types(m[i].str());
            for (auto* s : {&problem, &instead})
                for (auto at = s->find(token); at != std::string::npos; at = s->find(token, at + value.size()))
                    s->replace(at, token.size(), value);
        }
        return {problem, instead};
    }
    return english;
}

}  // namespace gongkai
