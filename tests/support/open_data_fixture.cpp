#include "open_data_fixture.h"

namespace gongkai::test {

const std::string open_data_base = "https://example.org/progress/";

std::int64_t local_time(Date d, int hour, int minute, int offset) {
    return d.days() * 86400 + hour * 3600 + minute * 60 - offset * 60;
}

Report open_data_report(const std::string& project, const std::string& id, Date start, Date end, Date date) {
    Report r;
    r.project = project;
    r.id = id;
    r.path = "content/reports/" + project + "/" + id + ".md";
    r.period_start = start;
    r.period_end = end;
    r.date = date;
    return r;
}

// Two departments, three projects (one without reports), three reports; sorted as the loader sorts.
Library open_data_library() {
    Library lib;
    lib.config.title = "长宁区重点工作推进情况";
    lib.config.publisher = "长宁区人民政府";
    lib.config.programme = "区政府重点工作";
    lib.config.language = "zh-CN";
    lib.config.base_url = open_data_base;

    Department education;
    education.id = "education";
    education.name = "长宁区教育局";
    Department finance;
    finance.id = "finance";
    finance.name = "长宁区财政局";
    finance.sample_data = true;
    lib.departments = {education, finance};

    Project p1;
    p1.id = "2020-043";
    p1.title = "推进教育“优质+均衡”发展三年行动计划";
    p1.year = 2020;
    p1.number = "043";
    p1.department = "education";
    p1.co_departments = {"finance"};
    p1.official = "王副区长";
    p1.target = "全年完成 3 所学校建设";
    p1.body = "落实：区教育局\n";
    p1.start = {2020, 1, 1};
    p1.end = {2020, 12, 31};
    p1.goals = {Goal{"1", "长宁教育“优质+均衡”发展", {Goal{"1.1", "高中", {}}, Goal{"1.2", "初中", {}}}},
                Goal{"2", "人才引进", {}}};
    p1.milestones = {Milestone{{2020, 6, 30}, 40}};

    Project p2;
    p2.id = "2020-050";
    p2.title = "预算 <script>alert(1)</script> & 公开";
    p2.year = 2020;
    p2.number = "050";
    p2.department = "finance";
    p2.start = {2020, 1, 1};
    p2.end = {2020, 12, 31};

    Project p3;
    p3.id = "2020-060";
    p3.title = "Quiet project";
    p3.year = 2020;
    p3.department = "education";
    p3.start = {2020, 1, 1};
    p3.end = {2020, 12, 31};
    lib.projects = {p1, p2, p3};

    Report r1 = open_data_report("2020-043", "2020-06", {2020, 1, 1}, {2020, 6, 30}, {2020, 6, 28});
    r1.title = "=HYPERLINK(\"http://x\",\"y\")";
    r1.completion = 50;
    r1.body = "上半年进展\n";

    Report r2 = open_data_report("2020-043", "2020-10", {2020, 1, 1}, {2020, 10, 31}, {2020, 10, 21});
    r2.title = "长宁区教育局关于 1-10 月推进情况的反馈";
    r2.completion = 90;
    r2.addressee = "区府办";
    r2.signed_by = "长宁区教育局";
    r2.leader_signature = true;
    r2.contacts = {Contact{"宗宏", "", "22050725", ""}, Contact{"黄丽灵", "联络员", "22050779", "hll@example.org"}};
    r2.goal_completion = {GoalCompletion{"1", 51, 0}, GoalCompletion{"1.1", 58.5, 0}};
    r2.body =
        "根据督查通知的要求，“现将”反馈如下：\n\n## （一）目前进展情况\n\n"
        "### 1. 优质+均衡\n\n</script>\x01 line\xe2\x80\xa8sep\n\n## （二）存在的困难\n\n无\n";

    Report r3 = open_data_report("2020-050", "2020-q3", {2020, 7, 1}, {2020, 9, 30}, {2020, 10, 15});
    r3.on_schedule = false;
    r3.contacts = {Contact{"-张三", "", "+86 21 5555", ""}};
    lib.reports = {r1, r2, r3};
    return lib;
}

Analysis open_data_analysis(const Library& lib) {
    Analysis a;
    a.today = {2020, 11, 1};
    a.now = local_time({2020, 11, 1}, 12, 0, 480);

    ProjectSchedule s1;
    s1.latest = &lib.reports[1];
    s1.expected = 83.3;
    s1.expected_at = {2020, 10, 31};
    a.schedules["2020-043"] = s1;
    ProjectSchedule s2;
    s2.latest = &lib.reports[2];
    s2.expected = 74.9;
    s2.expected_at = {2020, 9, 30};
    s2.behind = true;
    s2.missing = {CalendarPeriod{{2020, 10, 1}, {2020, 10, 31}, {2020, 10, 25}}};
    a.schedules["2020-050"] = s2;
    a.schedules["2020-060"] = ProjectSchedule{};

    a.has_history = true;
    Revision published{std::string(40, 'a'), local_time({2020, 10, 21}, 9, 30, 480), 480, "发布 1-10 月报告", {}, false};
    Revision amended{std::string(40, 'b'), local_time({2020, 10, 23}, 10, 0, 480), 480, "更正完成率 <b>", {}, true};
    amended.changes = {FieldChange{"completion", "85", "90"}, FieldChange{"addressee", "", "区府办"}};
    a.history.files["reports/2020-043/2020-10.md"] = FileHistory{published, {amended}, false};
    Revision june{std::string(40, 'c'), local_time({2020, 7, 1}, 8, 0, 480), 480, "June", {}, false};
    a.history.files["reports/2020-043/2020-06.md"] = FileHistory{june, {}, true};
    Revision plan{std::string(40, 'd'), local_time({2020, 1, 5}, 17, 45, -330), -330, "plan", {}, false};
    a.history.files["projects/2020-043.md"] = FileHistory{plan, {}, false};
    return a;
}

}  // namespace gongkai::test
