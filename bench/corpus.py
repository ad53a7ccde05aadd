#!/usr/bin/env python3
"""Writes a deterministic benchmark corpus of N progress reports, twice: as a gongkai content
repository (committed to git, one commit per period) and as an equivalent Hugo site (the same
bodies, a page per report, a section per project and a taxonomy page per department).

Usage: corpus.py N OUT_DIR
Writes OUT_DIR/gongkai (a git repository) and OUT_DIR/hugo. The text is fictional and marked so.
"""
import os
import random
import subprocess
import sys

PERIODS = 10            # reports per project: January to October, as the seed's year
PROJECTS_PER_DEPT = 25

CJK = ("推进教育优质均衡发展三年行动计划落实以教育现代化为主线促进公平提高质量深化改革破解难题"
       "完善区域教育优秀人才引进及流动机制有序逐步推进信息化标杆校建设开展教学调研综合素质评价"
       "防疫工作项目化学习实验区答辩校本研修见习教师规范化培训空中课堂规划方案需求撰写审批")
WORDS = ("progress milestone budget review council strategy action target delivery report "
         "school teacher training platform digital pilot assessment community district").split()


def sentence(rng, cjk_len):
    start = rng.randrange(0, len(CJK) - cjk_len)
    text = CJK[start:start + cjk_len]
    english = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7)))
    return f"{text}，{english}，完成率 {rng.randint(1, 100)}%。"


def body(rng, goals):
    """About 3 KB of Markdown shaped like the seed: sections, sub-goals, lists, bold, a table."""
    out = ["根据督查通知的要求，现将我单位所涉项目完成情况反馈如下：", ""]
    for section in ("（一）目前进展情况", "（二）存在的困难", "（三）下一步工作措施"):
        out += [f"## {section}", ""]
        for g in range(1, goals + 1):
            out += [f"### {g}. {sentence(rng, 10)[:12]}", ""]
            out += [f"**{sentence(rng, 4)}** {sentence(rng, 12)}", ""]
            for i in range(1, 3):
                out.append(f"{i}. {sentence(rng, 8)}")
            out.append("")
    out += ["| 指标 Indicator | 目标 Target | 完成 Done |", "| --- | ---: | ---: |"]
    for _ in range(3):
        out.append(f"| {sentence(rng, 4)[:6]} | {rng.randint(10, 99)} | {rng.randint(1, 99)} |")
    out.append("")
    return "\n".join(out)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def git(repo, *args, date=None):
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid")
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    # No automatic gc in the background: bench/run packs the repository itself, before timing.
    subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "gc.auto=0", *args],
                   cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    projects = max(1, (n + PERIODS - 1) // PERIODS)
    depts = max(1, (projects + PROJECTS_PER_DEPT - 1) // PROJECTS_PER_DEPT)
    gk = os.path.join(out, "gongkai")
    hu = os.path.join(out, "hugo")
    os.makedirs(gk, exist_ok=True)
    git(gk, "init", "-q")

    write(f"{gk}/gongkai.toml", 'title = "基准测试 Benchmark"\nlanguage = "zh-CN"\n'
          'base_url = "https://example.org/progress/"\npublisher = "示例区人民政府"\nsample_data = true\n')
    write(f"{hu}/config.toml", 'baseURL = "https://example.org/progress/"\nlanguageCode = "zh-CN"\n'
          'title = "基准测试 Benchmark"\ndisableKinds = ["RSS"]\n[taxonomies]\ndepartment = "departments"\n')
    write(f"{hu}/layouts/_default/baseof.html",
          '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
          '<body><main>{{ block "main" . }}{{ end }}</main></body></html>\n')
    write(f"{hu}/layouts/_default/single.html",
          '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.completion }}%</p>'
          '{{ range .Params.departments }}<a href="{{ "departments/" | relURL }}{{ . | urlize }}/">{{ . }}</a>{{ end }}'
          '{{ .Content }}{{ end }}\n')
    write(f"{hu}/layouts/_default/list.html",
          '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<table>{{ range .Pages }}<tr><td>'
          '<a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.completion }}%</td></tr>{{ end }}'
          '</table>{{ end }}\n')

    rng = random.Random(20201021)
    for d in range(depts):
        did = f"dept-{d:03d}"
        write(f"{gk}/departments/{did}.toml", f'name = "示例部门 {d:03d}"\nsample_data = true\n')
    plan = []
    for p in range(projects):
        pid = f"2020-{p:05d}"
        did = f"dept-{p % depts:03d}"
        goals = 2
        goal_toml = "".join(f'\n[[goals]]\nid = "{g}"\ntitle = "{sentence(rng, 8)[:10]}"\n' for g in range(1, goals + 1))
        write(f"{gk}/projects/{pid}.md", f'+++\ntitle = "{sentence(rng, 16)[:18]}"\nyear = 2020\nnumber = "{p:05d}"\n'
              f'department = "{did}"\n{goal_toml}+++\n{sentence(rng, 40)}\n')
        write(f"{hu}/content/projects/{pid}/_index.md", f'+++\ntitle = "项目 {pid}"\n+++\n{sentence(rng, 40)}\n')
        plan.append((pid, did, goals))
    write(f"{hu}/content/_index.md", '+++\ntitle = "基准测试 Benchmark"\n+++\n')

    written = 0
    for month in range(1, PERIODS + 1):
        for pid, did, goals in plan:
            if written >= n:
                break
            text = body(rng, goals)
            completion = min(100, month * 10 - rng.randint(0, 15))
            period = f"2020-{month:02d}"
            write(f"{gk}/reports/{pid}/{period}.md",
                  f'+++\nperiod_start = 2020-01-01\nperiod_end = 2020-{month:02d}-28\ndate = 2020-{month:02d}-21\n'
                  f'completion = {max(completion, 0)}\n[[contacts]]\nname = "联系人"\nphone = "22050725"\n+++\n{text}')
            write(f"{hu}/content/projects/{pid}/{period}.md",
                  f'+++\ntitle = "{pid} {period}"\ndate = 2020-{month:02d}-21\ncompletion = {max(completion, 0)}\n'
                  f'departments = ["{did}"]\n+++\n{text}')
            written += 1
        git(gk, "add", "-A")
        git(gk, "commit", "-q", "-m", f"Reports for 2020-{month:02d}", date=f"2020-{month:02d}-22T10:00:00+08:00")
        if written >= n:
            break
    print(f"{written} reports, {projects} projects, {depts} departments")


if __name__ == "__main__":
    main()
