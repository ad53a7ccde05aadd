#!/usr/bin/env python3
"""gongkai's benchmark: gongkai against Hugo on the same corpus, in the same run.

For each size N it writes a deterministic corpus (bench/corpus.py), with its git repository packed
as a clone or a push leaves it (where many objects are loose), then alternates clean full builds
of `gongkai build` (no output folder, no build cache) and `hugo` (median of --runs each),
measures the floor (cmark-gfm alone plus writing the files, divided by the cores), and
incremental rebuilds into the same folder after commits that each change one report: the first
one after a clean build (which also makes the cache's second copy of the site, by hard links)
on its own, then the median of --runs more.
It prints a Markdown table; paste it into bench/RESULTS.md with the machine described.

With --scaling SMALL,LARGE it only alternates clean builds of the two sizes, for how time and
memory grow between them measured without the drift of a long run.

Usage: bench/run [--sizes 1000,10000,50000,100000] [--runs 5] [--smoke] [--no-hugo-above N] [--out-dir DIR]
       bench/run --scaling 10000,100000 [--runs 3] [--out-dir DIR]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def timed(cmd, cwd):
    """Runs cmd under /usr/bin/time; returns (wall s, cpu s, peak RSS MiB)."""
    fd, report = tempfile.mkstemp()
    os.close(fd)
    try:
        subprocess.run(["/usr/bin/time", "-o", report, "-f", "%e %U %S %M", *cmd], cwd=cwd, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, user, system, rss_kb = open(report).read().split()[-4:]
        return float(wall), float(user) + float(system), int(rss_kb) / 1024
    finally:
        os.unlink(report)


def count_html(folder):
    return sum(1 for _, _, files in os.walk(folder) for f in files if f.endswith(".html"))


def median_of(samples):
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def git(repo, *args, date):
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid",
               GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    # No automatic gc in the background while builds are timed.
    subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "gc.auto=0", *args], cwd=repo, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def make_corpus(n, work):
    corpus = os.path.join(work, f"corpus-{n}")
    if not os.path.isdir(os.path.join(corpus, "gongkai", ".git")):
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(HERE, "corpus.py"), str(n), corpus], check=True,
                       stdout=subprocess.DEVNULL)
    pack(os.path.join(corpus, "gongkai"))
    return corpus


def pack(repo):
    """Packs the repository's objects, as a clone or a push leaves them, where many are loose.
    Committed one period at a time, the corpus holds them loose (90,000 files at 50,000 reports),
    which a repository that was ever pushed or cloned, as in a CI job, does not: reading them one
    file each cost a build at 50,000 reports some 17% more time (the nineteenth round). No
    commit-graph is written: a clone has none."""
    counts = subprocess.run(["git", "count-objects", "-v"], cwd=repo, check=True, capture_output=True,
                            text=True).stdout
    loose = int(next(line.split()[1] for line in counts.splitlines() if line.startswith("count:")))
    if loose > 1000:
        subprocess.run(["git", "-c", "gc.writeCommitGraph=false", "gc", "--quiet", "--prune=now"], cwd=repo,
                       check=True)


def clean_build(gongkai, repo, out):
    """A full build: no output folder, no build cache."""
    shutil.rmtree(out, ignore_errors=True)
    parent, name = os.path.split(out)
    shutil.rmtree(os.path.join(parent, f".{name}.gongkai-cache"), ignore_errors=True)
    return timed([gongkai, "build", "--quiet", "--out", out], repo)


def scaling(sizes, args, build, work, out_dir):
    """Clean builds of two sizes, alternating, so that the machine's drift over a long run does not
    enter how time and memory grow between them."""
    small, large = sizes
    gongkai = os.path.join(build, "gongkai")
    runs = {small: [], large: []}
    for _ in range(args.runs):
        for n in (small, large):
            repo = os.path.join(make_corpus(n, work), "gongkai")
            runs[n].append(clean_build(gongkai, repo, os.path.join(out_dir, f"out-gongkai-{n}")))
    print(f"| reports | gongkai wall s | gongkai CPU s | gongkai peak MiB | wall of each run s |")
    print("|---:|---:|---:|---:|---|")
    medians = {}
    for n in (small, large):
        medians[n] = median_of(runs[n])
        each = ", ".join(f"{r[0]:.2f}" for r in runs[n])
        print(f"| {n} | {medians[n][0]:.2f} | {medians[n][1]:.2f} | {medians[n][2]:.0f} | {each} |")
    w, c, m = (medians[large][i] / medians[small][i] for i in range(3))
    times = f"{large // small}" if large % small == 0 else f"{large / small:.1f}"
    print(f"\n{large} against {small} reports ({times}× the reports): {w:.2f}× the wall time, "
          f"{c:.2f}× the CPU time, {m:.2f}× the peak memory")


def bench_size(n, args, build, work, out_dir):
    corpus = make_corpus(n, work)
    gk_repo = os.path.join(corpus, "gongkai")
    hugo_site = os.path.join(corpus, "hugo")
    gk_out = os.path.join(out_dir, f"out-gongkai-{n}")
    hugo_out = os.path.join(out_dir, f"out-hugo-{n}")
    gongkai = os.path.join(build, "gongkai")
    with_hugo = shutil.which("hugo") and n <= args.no_hugo_above

    gk_runs, hugo_runs = [], []
    for _ in range(args.runs):
        gk_runs.append(clean_build(gongkai, gk_repo, gk_out))
        if with_hugo:
            shutil.rmtree(hugo_out, ignore_errors=True)
            hugo_runs.append(timed(["hugo", "--quiet", "-d", hugo_out], hugo_site))
    gk = median_of(gk_runs)
    hu = median_of(hugo_runs) if hugo_runs else None
    gk_pages = count_html(gk_out)
    hugo_pages = count_html(hugo_out) if hugo_runs else 0

    # Floor: cmark-gfm alone on every body plus writing as many files, over the cores; and the
    # same with the site's own count of files and bytes written instead.
    site_files, site_bytes = 0, 0
    for folder, _, names in os.walk(gk_out):
        for name in names:
            site_files += 1
            site_bytes += os.path.getsize(os.path.join(folder, name))
    floor_out = subprocess.run([os.path.join(build, "gongkai-floor"), os.path.join(gk_repo, "reports"),
                                os.path.join(out_dir, "floor-scratch"), str(site_files), str(site_bytes)], check=True,
                               capture_output=True, text=True).stdout.split()
    values = dict(zip(floor_out[::2], floor_out[1::2]))
    cores = os.cpu_count() or 1
    floor = (float(values["render_cpu"]) + float(values["write_cpu"])) / cores
    site_floor = (float(values["render_cpu"]) + float(values["site_write_cpu"])) / cores

    # Incremental: each commit amends one report (a different one each time), an hour after the
    # corpus's last commit (the same day: a commit on a later day moves every judgement made "as
    # of today", and so every page that shows one); rebuild into the same folder with its cache.
    last = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=gk_repo, capture_output=True, text=True,
                          check=True).stdout.strip()
    projects = sorted(os.listdir(os.path.join(gk_repo, "reports")))
    incremental = []
    for i in range(args.runs + 1):
        changed = projects[(i * 7919) % len(projects)]
        report_dir = os.path.join(gk_repo, "reports", changed)
        report = os.path.join(report_dir, sorted(os.listdir(report_dir))[-1])
        with open(report, "a", encoding="utf-8") as f:
            f.write(f"\n补充说明 {i}。\n")
        git(gk_repo, "commit", "-q", "-am", f"Amend {changed}", date=f"@{int(last) + 60 * (i + 1)} +0800")
        incremental.append(timed([gongkai, "build", "--quiet", "--out", gk_out], gk_repo))
    first_inc, inc = incremental[0], median_of(incremental[1:])
    git(gk_repo, "reset", "-q", "--hard", "HEAD~%d" % (args.runs + 1), date="2020-11-01T10:00:00+08:00")

    return {"n": n, "gk": gk, "hu": hu, "gk_pages": gk_pages, "hugo_pages": hugo_pages, "floor": floor,
            "render_cpu": float(values["render_cpu"]), "write_cpu": float(values["write_cpu"]), "inc": inc,
            "first_inc": first_inc, "site_floor": site_floor, "site_mib": site_bytes / 2**20}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,50000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="one small run, as CI does")
    parser.add_argument("--no-hugo-above", type=int, default=50000)
    parser.add_argument("--work", default=os.path.join(ROOT, "build-bench", "work"), help="where the corpora are kept")
    parser.add_argument("--out-dir", help="where the sites are written (default: --work), e.g. a tmpfs")
    parser.add_argument("--scaling", help="two sizes, e.g. 10000,100000: only alternate clean builds of both, "
                        "and print how time and memory grow from one to the other")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.runs = "300", 1

    build = os.path.join(ROOT, "build-bench")
    subprocess.run(["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_TESTING=OFF"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build, "-j", str(os.cpu_count() or 1), "--target", "gongkai",
                    "gongkai-floor"], check=True, stdout=subprocess.DEVNULL)
    os.makedirs(args.work, exist_ok=True)
    out_dir = args.out_dir or args.work
    os.makedirs(out_dir, exist_ok=True)

    fs_type = subprocess.run(["stat", "-f", "-c", "%T", out_dir], capture_output=True, text=True).stdout.strip()
    print(f"cores: {os.cpu_count()}; runs per size: {args.runs} (median); sites written to: {out_dir} ({fs_type}); hugo: "
          f"{subprocess.run(['hugo', 'version'], capture_output=True, text=True).stdout.split()[1] if shutil.which('hugo') else 'not installed'}")
    print()
    if args.scaling:
        scaling([int(x) for x in args.scaling.split(",")], args, build, args.work, out_dir)
        return 0
    print("| reports | gongkai wall s | gongkai CPU s | gongkai peak MiB | pages/s | Hugo wall s | Hugo CPU s "
          "| Hugo peak MiB | Hugo/gongkai wall | gongkai/Hugo memory | floor s | gongkai/floor "
          "| site MiB | floor with the site's bytes s | gongkai/that floor "
          "| first incremental s | incremental s | incremental peak MiB | incremental/full |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in [int(s) for s in args.sizes.split(",")]:
        r = bench_size(n, args, build, args.work, out_dir)
        gw, gc, gm = r["gk"]
        hugo = ("%.2f | %.2f | %.0f | %.1f× | %.2f" % (r["hu"][0], r["hu"][1], r["hu"][2], r["hu"][0] / gw, gm / r["hu"][2])
                if r["hu"] else "skipped | | | | ")
        print(f"| {n} | {gw:.2f} | {gc:.2f} | {gm:.0f} | {r['gk_pages'] / gw:.0f} | {hugo} | {r['floor']:.2f} "
              f"| {gw / r['floor']:.1f} | {r['site_mib']:.0f} | {r['site_floor']:.2f} | {gw / r['site_floor']:.1f} "
              f"| {r['first_inc'][0]:.2f} | {r['inc'][0]:.3f} | {r['inc'][2]:.0f} "
              f"| {100 * r['inc'][0] / gw:.1f}% |", flush=True)
        if args.smoke and r["gk_pages"] < n:
            print(f"smoke run: expected at least {n} pages, found {r['gk_pages']}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
