// Writing a gongkai content repository for the tests: files, and git commits with fixed dates and
// authors so that the same script always makes the same commits (and so the same site).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// A TOML string or array of strings: JSON's quoting is valid TOML for these.
export const toml = (value) => JSON.stringify(value);

export class ContentRepo {
  constructor(dir, author) {
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
    mkdirSync(dir, { recursive: true });
    this.dir = dir;
    this.author = author;
    this.git(['init', '-q', '-b', 'main']);
  }

  git(args, date) {
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: this.author.name,
      GIT_AUTHOR_EMAIL: this.author.email,
      GIT_COMMITTER_NAME: this.author.name,
      GIT_COMMITTER_EMAIL: this.author.email,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    };
    if (date) {
      env.GIT_AUTHOR_DATE = date;
      env.GIT_COMMITTER_DATE = date;
    }
    return execFileSync('git', ['-C', this.dir, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  }

  write(path, text) {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text.replace(/^\n/, ''));
  }

  commit(message, date) {
    this.git(['add', '-A']);
    this.git(['commit', '-q', '--no-gpg-sign', '-m', message], date);
  }

  commitCount() {
    return Number(this.git(['rev-list', '--count', 'HEAD']).trim());
  }
}

export function departmentFile(d) {
  let s = `name = ${toml(d.name)}\n`;
  if (d.short_name) s += `short_name = ${toml(d.short_name)}\n`;
  if (d.description) s += `description = ${toml(d.description)}\n`;
  if (d.url) s += `url = ${toml(d.url)}\n`;
  for (const c of d.contacts ?? []) s += contactToml(c);
  return s;
}

export function contactToml(c) {
  let s = `\n[[contacts]]\nname = ${toml(c.name)}\n`;
  for (const key of ['role', 'phone', 'email']) if (c[key]) s += `${key} = ${toml(c[key])}\n`;
  return s;
}

function goalsToml(goals, prefix = 'goals', indent = '') {
  let s = '';
  for (const g of goals ?? []) {
    s += `\n${indent}[[${prefix}]]\n${indent}id = ${toml(g.id)}\n${indent}title = ${toml(g.title)}\n`;
    if (g.goals) s += goalsToml(g.goals, `${prefix}.goals`, `${indent}  `);
  }
  return s;
}

export function projectFile(p) {
  let s = '+++\n';
  if (p.number) s += `number = ${toml(p.number)}\n`;
  s += `year = ${p.year}\ntitle = ${toml(p.title)}\ndepartment = ${toml(p.department)}\n`;
  if (p.co_departments) s += `co_departments = ${toml(p.co_departments)}\n`;
  if (p.official) s += `official = ${toml(p.official)}\n`;
  if (p.target) s += `target = ${toml(p.target)}\n`;
  if (p.start) s += `start = ${p.start}\nend = ${p.end}\n`;
  for (const m of p.milestones ?? []) s += `\n[[milestones]]\ndate = ${m.date}\nexpected = ${m.expected}\n`;
  s += goalsToml(p.goals);
  return `${s}+++\n${p.body}\n`;
}

// A report's front matter, from its keys; `period` is [period_start, period_end].
export function reportFrontMatter({ title, period, date, completion, on_schedule, addressee, signed_by,
  leader_signature, contacts, goal_completion }) {
  let s = '+++\n';
  s += `title = ${toml(title)}\nperiod_start = ${period[0]}\nperiod_end = ${period[1]}\ndate = ${date}\n`;
  if (completion !== undefined) s += `completion = ${completion}\n`;
  if (on_schedule !== undefined) s += `on_schedule = ${on_schedule}\n`;
  if (addressee) s += `addressee = ${toml(addressee)}\n`;
  if (signed_by) s += `signed_by = ${toml(signed_by)}\n`;
  if (leader_signature !== undefined) s += `leader_signature = ${leader_signature}\n`;
  for (const c of contacts ?? []) s += contactToml(c);
  if (goal_completion) {
    s += '\n[goal_completion]\n';
    for (const [id, v] of Object.entries(goal_completion)) s += `${toml(id)} = ${v}\n`;
  }
  return `${s}+++\n`;
}
