"""The test suite's time (issue 12: `make test` on SQLite, 2 cores): runs `make test` with `--durations=0` and
prints pytest's time, the wall time, the CPU of every process it started, the slowest tests, the sums per file
and the `browser` tests' share.

    .venv/bin/python bench/suite_time.py                    # the whole suite, as `make test` runs it
    .venv/bin/python bench/suite_time.py --as-of 44d36d9    # only today's tests whose names existed then

`--as-of COMMIT` compares like with like: the suite measured at COMMIT against the same tests today, not
against everything added since. CPU comes from a cpuacct cgroup when this process may make one (root, cgroup
v1 or v2), which counts Chromium's processes too; otherwise from getrusage of waited-for children, which
misses the processes Chromium re-parents (say which in the figures you record). Run it on a quiet machine.
"""

import argparse
import collections
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DURATION = re.compile(r"^([\d.]+)s (call|setup|teardown)\s+(.+?)\s*$")  # ids may hold spaces


def names_at(commit: str) -> set[str]:
    """The test functions' names in tests/ at `commit`."""
    out = subprocess.run(["git", "grep", "-h", "-E", r"^\s*(async\s+)?def test_\w+", commit, "--", "tests"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {re.search(r"def (test_\w+)", line)[1] for line in out.splitlines()}


def collected(*args: str) -> list[str]:
    out = subprocess.run([PYTHON, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
                         cwd=ROOT, capture_output=True, text=True).stdout
    return [line.strip() for line in out.splitlines() if "::" in line]


class Cgroup:
    """A cpuacct cgroup holding the run, or None where this process may not make one."""

    def __init__(self):
        self.path = self.usage = None
        name = f"wanyuan-suite-{os.getpid()}"
        for base, tasks, usage in ((Path("/sys/fs/cgroup/cpuacct"), "tasks", "cpuacct.usage"),
                                   (Path("/sys/fs/cgroup"), "cgroup.procs", "cpu.stat")):
            if not (base / tasks).exists():
                continue
            try:
                (base / name).mkdir()
            except OSError:
                continue
            self.path, self.tasks, self.usage = base / name, tasks, usage
            return

    def join(self):  # in the child, before exec
        (self.path / self.tasks).write_text(str(os.getpid()))

    def seconds(self) -> float:
        text = (self.path / self.usage).read_text()
        if self.usage == "cpu.stat":
            return int(re.search(r"usage_usec (\d+)", text)[1]) / 1e6
        return int(text) / 1e9

    def remove(self):
        time.sleep(0.5)  # the last processes leave
        try:
            self.path.rmdir()
        except OSError:
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--as-of", metavar="COMMIT", help="only the tests whose names existed at COMMIT")
    parser.add_argument("--processes", type=int, default=2, help="make test's TEST_PROCESSES (default 2)")
    parser.add_argument("--top", type=int, default=15, help="how many of the slowest tests to print")
    options = parser.parse_args()

    args = ["--durations=0", "-p", "no:cacheprovider", "-q"]
    ids_file = None
    if options.as_of:
        old = names_at(options.as_of)
        ids = [node for node in collected() if node.split("::")[-1].split("[")[0] in old]
        kept = {node.split("::")[-1].split("[")[0] for node in ids}
        print(f"tests named as at {options.as_of}: {len(old)} names, {len(kept)} still here as {len(ids)} tests")
        if old - kept:
            print("  gone or renamed:", ", ".join(sorted(old - kept)))
        ids_file = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
        ids_file.write("\n".join(ids) + "\n")
        ids_file.close()
        args.append(f"@{ids_file.name}")  # pytest reads arguments from a file: ids hold spaces and brackets
    browser = set(collected("-m", "browser", *([args[-1]] if ids_file else [])))

    command = ["make", "test", f"TEST_PROCESSES={options.processes}", f"PYTEST_ARGS={' '.join(args)}"]
    cgroup = Cgroup()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                         preexec_fn=cgroup.join if cgroup.path else None)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cgroup.path:
        cpu, how = cgroup.seconds(), "cgroup: every process, Chromium's included"
        cgroup.remove()
    else:
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        how = "getrusage: misses the processes Chromium re-parents"
    if ids_file:
        os.unlink(ids_file.name)

    lines = run.stdout.splitlines()
    summary = next((line for line in reversed(lines) if " in " in line and ("passed" in line or "failed" in line)),
                   "(no summary: see the output below)")
    per_test, per_file = collections.Counter(), collections.Counter()
    for line in lines:
        if match := DURATION.match(line):
            seconds, node = float(match[1]), match[3]
            per_test[node] += seconds
            per_file[node.split("::")[0]] += seconds
    total = sum(per_test.values())
    in_browser = sum(seconds for node, seconds in per_test.items() if node in browser)

    print("command:", " ".join(command[:3]), f'PYTEST_ARGS="{" ".join(args)}"')
    print("result:", summary.strip("= "), f"(exit {run.returncode})")
    print(f"wall: {wall:.1f} s; CPU: {cpu:.1f} s ({how}); {os.cpu_count()} cores")
    print(f"test time (setup + call + teardown, all processes): {total:.1f} s; "
          f"browser-marked {len(browser)} tests {in_browser:.1f} s, the rest {total - in_browser:.1f} s")
    print(f"\nslowest {options.top} (setup + call + teardown):")
    for node, seconds in per_test.most_common(options.top):
        print(f"  {seconds:6.2f} s  {node}")
    print("\nper file:")
    for path, seconds in per_file.most_common(12):
        print(f"  {seconds:6.1f} s  {path}")
    if run.returncode:
        print("\n" + "\n".join(lines[-40:]) + run.stderr[-2000:], file=sys.stderr)
    sys.exit(run.returncode)


if __name__ == "__main__":
    main()
