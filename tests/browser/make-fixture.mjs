#!/usr/bin/env node
// Writes the larger fixture content repository for the browser tests: a git repository whose
// history is a fictional city's two years of key work reporting, committed with fixed dates so
// that every build of it is the same site. Everything in it is invented and marked
// sample_data = true.
//
//   node make-fixture.mjs DIR      creates DIR (which must not exist or be empty) as the repository
//
// What it covers, beside the demo: six departments (one that leads no project), fourteen
// projects over 2023 and 2024, quarterly reports, long Chinese titles, a project at 0% and
// projects at 100%, yes/no judgements without a percentage, nested goals with their own
// percentages, milestones, co-responsible departments, a project with no report, reports missing
// past their due date, a report amended after publication, a Markdown table, and long unbroken
// Latin text.

import { ContentRepo, departmentFile, projectFile, reportFrontMatter } from './lib/content-repo.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node make-fixture.mjs DIR');
  process.exit(2);
}
const repo = new ContentRepo(dir, { name: '示例市政府办公室', email: 'office@example.gov.cn' });
const write = (path, text) => repo.write(path, text);
const commit = (message, date) => repo.commit(message, date);

// ---- the site and its departments ----

const site = `
title = "示例市人民政府重点工作推进情况"
language = "zh-CN"
base_url = "https://example.org/progress/"
publisher = "示例市人民政府"
programme = "市政府 2023—2024 年重点工作"
description = "示例市各部门关于市政府重点工作目标推进情况的季度反馈，按项目逐期公开。本站内容均为虚构的示例数据。"
sample_data = true

[calendar]
frequency = "quarterly"
due_day = 20
`;

const departments = {
  fgw: {
    name: '示例市发展和改革委员会',
    short_name: '市发展改革委',
    description: '负责统筹协调全市经济社会发展，牵头推进重大项目建设和营商环境优化。',
    url: 'https://fgw.example.gov.cn/',
    contacts: [
      { name: '王晓明', role: '综合处处长', phone: '021-5555 0101', email: 'wang.xiaoming@example.gov.cn' },
      { name: '李静', role: '综合处联络员', phone: '021-5555 0102' },
    ],
  },
  jyj: {
    name: '示例市教育局',
    short_name: '市教育局',
    description: '负责全市各级各类教育的统筹规划和协调管理。',
    contacts: [{ name: '陈思远', role: '办公室主任', phone: '021-5555 0201' }],
  },
  wjw: {
    name: '示例市卫生健康委员会',
    short_name: '市卫生健康委',
    url: 'https://wjw.example.gov.cn/',
  },
  jtj: {
    name: '示例市交通运输局',
    short_name: '市交通局',
    description: '负责全市综合交通运输体系的规划、建设和管理。',
    contacts: [{ name: '赵一鸣', role: '规划处', phone: '021-5555 0401', email: 'zhao.yiming@example.gov.cn' }],
  },
  sthjj: {
    name: '示例市生态环境局',
    short_name: '市生态环境局',
  },
  // A department that leads no project yet: its page must still read well.
  sjj: {
    name: '示例市数据资源管理局',
    short_name: '市数据局',
    description: '2024 年新组建，负责公共数据的归集、共享和开放。',
  },
};

// ---- projects ----

const projects = {
  '2023-007': {
    year: 2023, number: '007', department: 'jtj',
    title: '完成中心城区十二条断头路打通工程，优化公交线网并新增公交专用道三十公里',
    official: '张建国',
    goals: [
      { id: '1', title: '打通断头路十二条' },
      { id: '2', title: '新增公交专用道三十公里' },
    ],
    body: '以“完善路网、公交优先”为主线，年内打通中心城区断头路十二条，优化调整公交线路，提升市民出行效率。',
  },
  '2023-015': {
    year: 2023, number: '015', department: 'wjw', co_departments: ['fgw'],
    title: '推进紧密型城市医疗集团建设，实现区域检查检验结果互认',
    body: '以医疗集团为载体，推动优质医疗资源下沉，实现集团内检查检验结果互认共享。',
  },
  '2024-001': {
    year: 2024, number: '001', department: 'fgw', co_departments: ['jtj', 'sthjj', 'sjj'],
    title: '加快推进城市更新和老旧小区综合改造，完善社区养老托育、便民商业、停车充电等公共服务设施配套，全面提升群众居住品质和幸福感、获得感、安全感',
    official: '刘志强',
    target: '全年完成老旧小区综合改造 **120 个**，惠及居民约 4.2 万户；新建社区养老服务综合体 8 个、托育点 15 个、公共充电桩 2,000 个。',
    goals: [
      { id: '1', title: '老旧小区综合改造', goals: [
        { id: '1.1', title: '中心城区' },
        { id: '1.2', title: '近郊片区' },
      ] },
      { id: '2', title: '社区养老托育设施' },
      { id: '3', title: '停车充电设施' },
    ],
    body: `坚持“先民生、后提升”，统筹推进老旧小区综合改造与公共服务设施补短板，形成“规划一张图、建设一盘棋、管理一张网”的城市更新工作格局。

1. 年初制定改造计划并公示；
2. 分批次开工，三季度末前全部开工；
3. 年底前完成竣工验收。`,
  },
  '2024-002': {
    year: 2024, number: '002', department: 'sthjj',
    title: '启动城市生活垃圾焚烧发电厂二期扩建工程前期工作',
    body: '完成项目选址、环境影响评价和社会稳定风险评估等前期工作，为年内开工创造条件。',
  },
  '2024-003': {
    year: 2024, number: '003', department: 'jyj',
    title: '新建、改扩建中小学和幼儿园十所，新增学位一万个',
    official: '周文华',
    goals: [
      { id: '1', title: '中小学', goals: [
        { id: '1.1', title: '小学' },
        { id: '1.2', title: '初中' },
      ] },
      { id: '2', title: '幼儿园' },
    ],
    body: '按照“规划先行、建设提速”的要求，确保新建学校秋季开学投入使用。',
  },
  '2024-004': {
    year: 2024, number: '004', department: 'wjw',
    title: '推进基层医疗卫生机构标准化建设，提升社区卫生服务能力',
    body: '以社区卫生服务中心标准化建设为抓手，推动基层首诊和双向转诊。',
  },
  '2024-005': {
    year: 2024, number: '005', department: 'jtj', co_departments: ['fgw'],
    title: '建成轨道交通 5 号线南延伸段并开通试运营，同步完成沿线十四个站点的公交接驳、慢行系统和无障碍设施改造',
    official: '张建国',
    target: '年底前完成 5 号线南延伸段全线“三权移交”，开通试运营。',
    start: '2024-01-01', end: '2024-12-31',
    milestones: [
      { date: '2024-03-31', expected: 10 },
      { date: '2024-06-30', expected: 40 },
      { date: '2024-09-30', expected: 80 },
    ],
    goals: [
      { id: '1', title: '土建和轨道工程' },
      { id: '2', title: '机电设备安装调试' },
      { id: '3', title: '沿线接驳和无障碍设施' },
    ],
    body: '倒排工期、挂图作战，确保年内开通试运营。',
  },
  '2024-006': {
    year: 2024, number: '006', department: 'fgw',
    title: '深化营商环境改革，推行“高效办成一件事”',
    body: '围绕企业和群众全生命周期，推出一批“高效办成一件事”重点事项。',
  },
  '2024-007': {
    year: 2024, number: '007', department: 'sthjj', co_departments: ['jtj'],
    title: '实施大气污染防治攻坚行动，全年细颗粒物（PM2.5）平均浓度控制在 30 微克/立方米以内',
    goals: [
      { id: '1', title: '工业源治理' },
      { id: '2', title: '移动源治理' },
      { id: '3', title: '扬尘源治理' },
    ],
    body: '坚持精准治污、科学治污、依法治污，持续改善空气质量。',
  },
  '2024-008': {
    year: 2024, number: '008', department: 'jyj',
    title: '推进“双减”工作提质增效，丰富课后服务内容',
    body: '深化课后服务供给侧改革，引入优质社会资源。',
  },
  '2024-009': {
    year: 2024, number: '009', department: 'wjw', co_departments: ['jyj'],
    title: '开展全民健康素养促进行动',
    body: '以健康知识普及为重点，提升居民健康素养水平。',
  },
  '2024-010': {
    year: 2024, number: '010', department: 'fgw', co_departments: ['sjj'],
    title: '建设城市运行“一网统管”平台二期，接入 5G+ 物联感知设备十万台',
    body: '平台接口文档发布于 https://data.example.gov.cn/api/v2/city-operations/iot-devices/registry/specification-2024-edition.html ，各部门按统一规范 CityOpsIoTDeviceRegistrySpecification2024Edition 接入。',
  },
  '2024-011': {
    year: 2024, number: '011', department: 'jtj',
    title: '推进智慧停车建设，新增公共停车泊位五千个',
    body: '盘活存量资源，推进错时共享停车。',
  },
  // A project whose first report is not in yet: "no report" on every list.
  '2024-012': {
    year: 2024, number: '012', department: 'sthjj',
    title: '开展重点河湖生态修复和幸福河湖建设',
    start: '2024-07-01', end: '2024-12-31',
    body: '下半年启动，以水质提升和岸线整治为重点。',
  },
};

// ---- reports ----

const quarters = {
  q1: { start: '01-01', end: '03-31', label: '一季度', months: '1—3 月' },
  q2: { start: '01-01', end: '06-30', label: '二季度', months: '1—6 月' },
  q3: { start: '01-01', end: '09-30', label: '三季度', months: '1—9 月' },
  q4: { start: '01-01', end: '12-31', label: '四季度', months: '1—12 月' },
};

// The report body, in the shape of the Changning original: progress, difficulties, next steps,
// each by sub-goal.
function reportBody(p, r) {
  const goals = p.goals ?? [{ id: '1', title: p.title }];
  const section = (heading, text) => {
    let s = `## ${heading}\n\n`;
    for (const g of goals) {
      s += `### ${g.id}. ${g.title}\n\n`;
      if (g.goals) {
        const marks = ['⑴', '⑵', '⑶', '⑷'];
        g.goals.forEach((sub, i) => {
          s += `#### ${marks[i]} ${sub.title}\n\n${text(sub)}\n\n`;
        });
      } else {
        s += `${text(g)}\n\n`;
      }
    }
    return s;
  };
  let s = `根据市政府督查室的通知要求，现将我单位牵头的第 ${p.number} 项重点工作${r.q.label}推进情况报告如下：\n\n`;
  s += section('（一）目前进展情况', (g) =>
    r.completion === 0
      ? `“${g.title}”相关工作尚未启动。项目仍在等待上级批复，已完成前期资料整理。`
      : `① 围绕“${g.title}”，按计划推进各项工作，截至${r.q.months}底累计完成年度任务的 ${r.completion ?? '预定'}${r.completion === undefined ? '进度' : '%'}。\n\n② 建立周例会和月通报制度，及时协调解决推进中遇到的问题。`);
  if (r.table) {
    s += `### 分区推进情况\n\n| 片区 | 计划（个） | 已开工（个） | 已完工（个） | 完成率 |\n| --- | ---: | ---: | ---: | ---: |\n| 中心城区 | 70 | 70 | 52 | 74% |\n| 近郊片区 | 50 | 48 | 30 | 60% |\n| 合计 | 120 | 118 | 82 | 68% |\n\n`;
  }
  s += section('（二）存在的困难', () =>
    r.completion === 100 ? '无。' : '部分点位涉及管线迁改和居民意见征询，审批和协调周期较长，对整体进度有一定影响。');
  s += section('（三）下一步工作措施', () =>
    r.completion === 100 ? '做好后续运行维护和成效评估，总结经验做法。' : '加强统筹调度，倒排工期、压实责任，确保按期完成年度目标任务。');
  if (r.extra) s += `${r.extra}\n`;
  return s;
}

function reportFile(projectId, reportId, r) {
  const p = projects[projectId];
  const q = quarters[reportId.slice(5)];
  const year = Number(reportId.slice(0, 4));
  const d = departments[p.department];
  return reportFrontMatter({
    ...r,
    title: `${d.name}关于市政府 ${year} 年重点工作第 ${p.number} 项${q.label}推进情况的报告`,
    period: [`${year}-${q.start}`, `${year}-${q.end}`],
    addressee: '市政府督查室',
    signed_by: d.name,
    leader_signature: r.leader ?? true,
    contacts: r.contacts ?? [{ name: '联络员甲', phone: '021-5555 9001' }, { name: '联络员乙', phone: '021-5555 9002' }],
  }) + reportBody(p, { ...r, q });
}

// Reports by commit: each entry is [project, report id, fields].
const rounds = [
  { date: '2023-04-18T10:00:00+08:00', message: '2023 年一季度报告', reports: [
    ['2023-007', '2023-q1', { date: '2023-04-15', completion: 20 }],
    ['2023-015', '2023-q1', { date: '2023-04-16', on_schedule: true }],
  ] },
  { date: '2023-07-18T10:00:00+08:00', message: '2023 年二季度报告', reports: [
    ['2023-007', '2023-q2', { date: '2023-07-14', completion: 48 }],
    ['2023-015', '2023-q2', { date: '2023-07-15', on_schedule: true }],
  ] },
  { date: '2023-10-18T10:00:00+08:00', message: '2023 年三季度报告', reports: [
    ['2023-007', '2023-q3', { date: '2023-10-13', completion: 76 }],
    ['2023-015', '2023-q3', { date: '2023-10-16', on_schedule: false }],
  ] },
  { date: '2024-01-18T10:00:00+08:00', message: '2023 年四季度报告', reports: [
    ['2023-007', '2023-q4', { date: '2024-01-12', completion: 100 }],
    ['2023-015', '2023-q4', { date: '2024-01-15', on_schedule: true }],
  ] },
  { date: '2024-04-18T10:00:00+08:00', message: '2024 年一季度报告', reports: [
    ['2024-001', '2024-q1', { date: '2024-04-12', completion: 18, goal_completion: { '1': 20, '1.1': 25, '1.2': 15, '2': 10, '3': 22 } }],
    ['2024-002', '2024-q1', { date: '2024-04-15', completion: 0 }],
    ['2024-003', '2024-q1', { date: '2024-04-10', completion: 30, goal_completion: { '1': 28, '1.1': 30, '1.2': 26, '2': 35 } }],
    ['2024-004', '2024-q1', { date: '2024-04-16', on_schedule: true }],
    ['2024-005', '2024-q1', { date: '2024-04-11', completion: 12, goal_completion: { '1': 20, '2': 10, '3': 5 } }],
    ['2024-006', '2024-q1', { date: '2024-04-15', completion: 25 }],
    ['2024-007', '2024-q1', { date: '2024-04-17', completion: 22 }],
    ['2024-008', '2024-q1', { date: '2024-04-15', completion: 25 }],
    ['2024-009', '2024-q1', { date: '2024-04-16', completion: 15, leader: false }],
    ['2024-010', '2024-q1', { date: '2024-04-12', completion: 20 }],
    ['2024-011', '2024-q1', { date: '2024-04-15', completion: 10 }],
  ] },
  { date: '2024-07-18T10:00:00+08:00', message: '2024 年二季度报告', reports: [
    ['2024-001', '2024-q2', { date: '2024-07-12', completion: 45, goal_completion: { '1': 48, '1.1': 55, '1.2': 40, '2': 38, '3': 46 } }],
    ['2024-002', '2024-q2', { date: '2024-07-15', completion: 0 }],
    ['2024-003', '2024-q2', { date: '2024-07-10', completion: 70, goal_completion: { '1': 68, '1.1': 72, '1.2': 64, '2': 75 } }],
    ['2024-004', '2024-q2', { date: '2024-07-16', on_schedule: false }],
    ['2024-005', '2024-q2', { date: '2024-07-11', completion: 42, goal_completion: { '1': 60, '2': 35, '3': 20 } }],
    ['2024-006', '2024-q2', { date: '2024-07-15', completion: 50 }],
    ['2024-007', '2024-q2', { date: '2024-07-17', completion: 47 }],
    ['2024-008', '2024-q2', { date: '2024-07-15', completion: 52 }],
    ['2024-010', '2024-q2', { date: '2024-07-12', completion: 50 }],
  ] },
];

// A report corrected after publication: its completion and one paragraph change.
const amendment = {
  date: '2024-08-02T16:30:00+08:00', message: '更正 2024-010 二季度报告的完成率',
  reports: [['2024-010', '2024-q2', { date: '2024-07-12', completion: 55,
    extra: '（注：8 月 2 日更正，原报完成率 50% 未计入二季度末完成的设备接入。）' }]],
};

const q3 = {
  date: '2024-10-18T10:00:00+08:00', message: '2024 年三季度报告', reports: [
    ['2024-001', '2024-q3', { date: '2024-10-14', completion: 68, table: true, goal_completion: { '1': 68, '1.1': 74, '1.2': 60, '2': 65, '3': 72 } }],
    ['2024-002', '2024-q3', { date: '2024-10-15', completion: 0 }],
    ['2024-003', '2024-q3', { date: '2024-10-09', completion: 100, goal_completion: { '1': 100, '1.1': 100, '1.2': 100, '2': 100 } }],
    ['2024-004', '2024-q3', { date: '2024-10-16', on_schedule: true }],
    ['2024-005', '2024-q3', { date: '2024-10-11', completion: 81, goal_completion: { '1': 100, '2': 85, '3': 58 } }],
    ['2024-006', '2024-q3', { date: '2024-10-15', completion: 100 }],
    ['2024-007', '2024-q3', { date: '2024-10-17', completion: 40 }],
    ['2024-010', '2024-q3', { date: '2024-10-12', completion: 76 }],
    ['2024-011', '2024-q3', { date: '2024-10-15', completion: 33 }],
  ],
};

function writeRound(round) {
  for (const [pid, rid, fields] of round.reports) write(`reports/${pid}/${rid}.md`, reportFile(pid, rid, fields));
  commit(round.message, round.date);
}

write('gongkai.toml', site);
for (const [id, d] of Object.entries(departments)) {
  if (id !== 'sjj') write(`departments/${id}.toml`, departmentFile(d));
}
for (const [id, p] of Object.entries(projects)) {
  if (p.year === 2023) write(`projects/${id}.md`, projectFile(p));
}
commit('示例市 2023 年重点工作项目', '2023-01-20T09:00:00+08:00');
rounds.slice(0, 4).forEach(writeRound);

write('departments/sjj.toml', departmentFile(departments.sjj));
for (const [id, p] of Object.entries(projects)) {
  if (p.year === 2024) write(`projects/${id}.md`, projectFile(p));
}
commit('示例市 2024 年重点工作项目', '2024-01-22T09:00:00+08:00');
rounds.slice(4).forEach(writeRound);
writeRound(amendment);
writeRound(q3);
// The commit being built is the "now" of every schedule judgement: 5 November 2024.
write('departments/wjw.toml', departmentFile({ ...departments.wjw, description: '负责全市卫生健康事业发展和公共卫生服务。' }));
commit('更新市卫生健康委简介', '2024-11-05T09:00:00+08:00');

console.log(`make-fixture: wrote ${repo.commitCount()} commits to ${dir}`);
