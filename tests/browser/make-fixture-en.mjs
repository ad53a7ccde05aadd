#!/usr/bin/env node
// Writes the English fixture content repository for the browser tests: a fictional borough
// council's Council Plan, reported quarterly, with nested goals that each carry a percentage (the
// goal 51%, its strategy 58%, five actions at 50/100/50/50/50%) as English-language councils
// publish them. It puts the theme's English strings in front of the same checks as the Chinese
// sites. Everything in it is invented and marked sample_data = true.
//
//   node make-fixture-en.mjs DIR   creates DIR (which must not exist or be empty) as the repository

import { ContentRepo, departmentFile, projectFile, reportFrontMatter } from './lib/content-repo.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node make-fixture-en.mjs DIR');
  process.exit(2);
}
const repo = new ContentRepo(dir, { name: 'Example Borough Council', email: 'performance@example.gov.uk' });

repo.write('gongkai.toml', `
title = "Council Plan progress"
language = "en"
base_url = "https://example.org/progress/"
publisher = "Example Borough Council"
programme = "Council Plan 2024 to 2027"
description = "Quarterly progress on each goal of the Council Plan, with the figures behind it. Everything on this site is fictional sample data."
sample_data = true

[calendar]
frequency = "quarterly"
due_day = 25
`);

const departments = {
  place: {
    name: 'Place and Economy Directorate',
    short_name: 'Place and Economy',
    description: 'Planning, regeneration, transport, and support for local businesses.',
    url: 'https://www.example.gov.uk/place',
    contacts: [{ name: 'Priya Shah', role: 'Head of Economic Development', phone: '01632 960 101', email: 'priya.shah@example.gov.uk' }],
  },
  adults: {
    name: 'Adult Social Care and Public Health Directorate',
    short_name: 'Adults and Health',
  },
  resources: {
    name: 'Resources Directorate',
    short_name: 'Resources',
    description: 'Finance, people, digital services and the council’s own buildings.',
    contacts: [{ name: 'Tom Okafor', role: 'Programme Manager', phone: '01632 960 303' }],
  },
};

const projects = {
  'g1-economy': {
    year: 2024, number: 'G1', department: 'place', co_departments: ['resources'],
    title: 'A thriving, inclusive and sustainable local economy that works for everyone who lives, works and studies in the borough',
    official: 'Cllr Jane Morgan, Cabinet Member for Economy',
    target: 'Create 400 jobs, support 250 businesses and bring 3 vacant town-centre buildings back into use by March 2025.',
    goals: [{
      id: '1', title: 'Support local businesses to start, grow and stay in the borough',
      goals: [
        { id: '1.1', title: 'Business advice and grants service' },
        { id: '1.2', title: 'Open the enterprise hub at the old library' },
        { id: '1.3', title: 'Buy locally: council procurement from borough suppliers' },
        { id: '1.4', title: 'Town-centre vacant units scheme' },
        { id: '1.5', title: 'Skills bootcamps with the college' },
      ],
    }],
    body: 'The council will work with businesses, the college and the chamber of commerce to grow the local economy, and make sure that the jobs it brings are open to every resident.',
  },
  'g2-net-zero': {
    year: 2024, number: 'G2', department: 'resources',
    title: 'Decarbonise the council’s own buildings and fleet',
    body: 'Heat pumps and solar panels for the five largest council buildings, and an electric fleet by 2030.',
  },
  'g3-hospital-discharge': {
    year: 2024, number: 'G3', department: 'adults',
    title: 'Help people home from hospital sooner',
    body: 'Work with the hospital trust so that nobody waits in a hospital bed for care that could be given at home.',
  },
  'g4-finance-system': {
    year: 2024, number: 'G4', department: 'resources',
    title: 'Replace the finance and HR systems',
    body: 'One system for finance, payroll and HR, replacing three that are out of support.',
  },
};

const quarters = {
  q1: { end: '03-31', name: 'quarter 1' },
  q2: { end: '06-30', name: 'quarter 2' },
  q3: { end: '09-30', name: 'quarter 3' },
};

function reportBody(p, r) {
  const goals = p.goals?.[0]?.goals ?? [{ id: '1', title: p.title }];
  const part = (heading, text) => `## ${heading}\n\n${goals.map((g) => `### ${g.id} ${g.title}\n\n${text(g)}\n\n`).join('')}`;
  let s = `This report sets out progress on goal ${p.number} of the Council Plan to the end of ${r.q.name}.\n\n`;
  s += part('1. Progress', (g) => (r.completion === 0
    ? 'Work has not started: the funding bid was not successful and a new bid is being prepared.'
    : `Work on “${g.title.toLowerCase()}” is under way and is ${r.completion === undefined ? 'on track' : `${r.completion}% complete`}.`));
  s += part('2. Issues and risks', () => 'Contractor availability remains the main risk to the timetable.');
  s += part('3. Next steps', () => 'Report the next milestone to Cabinet in the next quarter.');
  return s;
}

function report(projectId, reportId, r) {
  const p = projects[projectId];
  const q = quarters[reportId.slice(5)];
  const d = departments[p.department];
  repo.write(`reports/${projectId}/${reportId}.md`, reportFrontMatter({
    ...r,
    title: `${d.short_name}: Council Plan goal ${p.number}, ${q.name} 2024`,
    period: ['2024-01-01', `2024-${q.end}`],
    addressee: 'Cabinet',
    signed_by: d.name,
    contacts: [{ name: 'Performance Team', phone: '01632 960 000', email: 'performance@example.gov.uk' }],
  }) + reportBody(p, { ...r, q }));
}

for (const [id, d] of Object.entries(departments)) repo.write(`departments/${id}.toml`, departmentFile(d));
for (const [id, p] of Object.entries(projects)) repo.write(`projects/${id}.md`, projectFile(p));
repo.commit('Council Plan 2024 goals', '2024-02-01T09:00:00+00:00');

report('g1-economy', '2024-q1', { date: '2024-04-19', completion: 20, goal_completion: { '1': 19, '1.1': 30, '1.2': 10, '1.3': 25, '1.4': 20, '1.5': 10 } });
report('g2-net-zero', '2024-q1', { date: '2024-04-22', completion: 0 });
report('g3-hospital-discharge', '2024-q1', { date: '2024-04-22', on_schedule: true });
report('g4-finance-system', '2024-q1', { date: '2024-04-18', completion: 40 });
repo.commit('Quarter 1 reports', '2024-04-24T16:00:00+01:00');

report('g1-economy', '2024-q2', { date: '2024-07-19', completion: 38, goal_completion: { '1': 36, '1.1': 45, '1.2': 30, '1.3': 40, '1.4': 35, '1.5': 30 } });
report('g2-net-zero', '2024-q2', { date: '2024-07-22', completion: 0 });
report('g3-hospital-discharge', '2024-q2', { date: '2024-07-22', on_schedule: false });
report('g4-finance-system', '2024-q2', { date: '2024-07-18', completion: 75 });
repo.commit('Quarter 2 reports', '2024-07-24T16:00:00+01:00');

report('g1-economy', '2024-q3', { date: '2024-10-18', completion: 51, goal_completion: { '1': 58, '1.1': 50, '1.2': 100, '1.3': 50, '1.4': 50, '1.5': 50 } });
report('g2-net-zero', '2024-q3', { date: '2024-10-21', completion: 0 });
report('g4-finance-system', '2024-q3', { date: '2024-10-17', completion: 100 });
repo.commit('Quarter 3 reports (adult social care report to follow)', '2024-10-24T16:00:00+01:00');

repo.write('departments/adults.toml', departmentFile({ ...departments.adults, description: 'Care and support for adults, and the public’s health.' }));
repo.commit('Describe the Adults and Health directorate', '2024-11-04T10:00:00+00:00');

console.log(`make-fixture-en: wrote ${repo.commitCount()} commits to ${dir}`);
