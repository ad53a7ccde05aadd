#include "fixture.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace gongkai::test {

Files parse_fixture(std::string_view text) {
    Files files;
    std::string* current = nullptr;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.starts_with("-- ") && line.ends_with(" --") && line.size() > 6) {
            current = &files[std::string(line.substr(3, line.size() - 6))];
            continue;
        }
        if (current) {
            current->append(line);
            current->push_back('\n');
        }
    }
    return files;
}

Files basic_site() {
    return parse_fixture(R"(
-- gongkai.toml --
title = "测试区重点工作推进情况"
language = "zh-CN"
base_url = "https://example.org/"
publisher = "测试区人民政府"
programme = "区政府重点工作"
-- departments/education.toml --
name = "测试区教育局"
short_name = "区教育局"
description = "主管全区教育工作。"

[[contacts]]
name = "王老师"
phone = "12345678"
-- departments/health.toml --
name = "测试区卫生健康委员会"
-- projects/2020-001.md --
+++
title = "推进教育优质均衡发展"
year = 2020
number = "001"
department = "education"
co_departments = ["health"]
official = "李副区长"
target = "全年建成**三所**标杆校。"

[[goals]]
id = "1"
title = "标杆校建设"

  [[goals.goals]]
  id = "1.1"
  title = "信息化标杆校"

  [[goals.goals]]
  id = "1.2"
  title = "课程标杆校"

[[goals]]
id = "2"
title = "人才引进"
+++
以教育现代化为主线，推进各项举措落地。
-- reports/2020-001/2020-06.md --
+++
period_start = 2020-01-01
period_end = 2020-06-30
date = 2020-07-05
completion = 40
+++
上半年推进情况。
-- reports/2020-001/2020-10.md --
+++
title = "测试区教育局关于 1-10 月推进情况的反馈"
period_start = 2020-01-01
period_end = 2020-10-31
date = 2020-10-21
completion = 87.5
on_schedule = true
addressee = "区府办"
signed_by = "测试区教育局"

[[contacts]]
name = "张三"
phone = "11110001"

[[contacts]]
name = "李四"
phone = "11110002"

[goal_completion]
"1" = 80
"1.1" = 70
"1.2" = 90
"2" = 95
+++
现将推进情况反馈如下：

## （一）目前进展情况

### 1. 标杆校建设

完成率已达 87.5%。

## （二）存在的困难

经费不足。
)");
}

std::string source_dir() {
    return GONGKAI_TEST_SOURCE_DIR;
}
std::string source_themes_dir() {
    return source_dir() + "/themes";
}
std::string fixture_themes_dir() {
    return GONGKAI_TEST_FIXTURE_THEMES;
}

TempDir::TempDir() {
    std::string pattern = (fs::temp_directory_path() / "gongkai-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

void write_file(const fs::path& path, std::string_view data) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_files(const fs::path& dir, const Files& files) {
    for (const auto& [path, data] : files) write_file(dir / path, data);
}

void wait_past_last_change(const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + path.string());
    for (;;) {
        struct timespec now {};
        ::clock_gettime(CLOCK_REALTIME_COARSE, &now);
        if (now.tv_sec > st.st_ctim.tv_sec || (now.tv_sec == st.st_ctim.tv_sec && now.tv_nsec > st.st_ctim.tv_nsec))
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
}

std::string listing(const Diagnostics& diagnostics) {
    if (diagnostics.items().empty()) return "(no diagnostics)";
    std::string out;
    for (const auto& d : diagnostics.items()) out += format(d) + "\n";
    return out;
}

namespace {

bool has(const Diagnostics& diagnostics, Severity severity, const std::string& path, std::size_t line,
         const std::string& text) {
    for (const auto& d : diagnostics.items()) {
        if (d.severity == severity && d.path == path && (line == any_line || d.line == line) &&
            format(d).find(text) != std::string::npos)
            return true;
    }
    UNSCOPED_INFO("expected " << (severity == Severity::error ? "an error" : "a warning") << " in " << path
                              << (line == any_line ? std::string() : ":" + std::to_string(line)) << " containing \""
                              << text << "\"; got:\n"
                              << listing(diagnostics));
    return false;
}

}  // namespace

bool has_error(const Diagnostics& diagnostics, const std::string& path, std::size_t line, const std::string& text) {
    return has(diagnostics, Severity::error, path, line, text);
}

bool has_warning(const Diagnostics& diagnostics, const std::string& path, std::size_t line, const std::string& text) {
    return has(diagnostics, Severity::warning, path, line, text);
}

}  // namespace gongkai::test
