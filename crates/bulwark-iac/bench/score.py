#!/usr/bin/env python3
"""Scores Bulwark and Checkov findings against corpus/labels.json.

A finding counts for an issue when its rule id is listed for that tool under
`issues` (a trailing `*` is a prefix). A label is found (true positive) when a
finding in the same file, for the same issue, names a resource containing
every token of the label. Mapped findings that match no label are false
positives; findings of unmapped rules are reported but not scored (the
labels only speak for the issues they list).
"""
import argparse
import json
import re
import statistics


def load_bulwark(path):
    report = json.load(open(path))
    return [(f["file"], f["rule_id"], f["resource"]) for f in report["findings"] if not f.get("suppressed")]


def load_checkov(path):
    data = json.load(open(path))
    reports = data if isinstance(data, list) else [data]
    out = []
    for rep in reports:
        for f in rep.get("results", {}).get("failed_checks", []):
            out.append((f["file_path"].lstrip("/").removeprefix("./"), f["check_id"], str(f.get("resource", ""))))
    return out


def rule_matches(pattern, rule_id):
    return rule_id.startswith(pattern[:-1]) if pattern.endswith("*") else rule_id == pattern


def score(tool, findings, labels):
    issues = labels["issues"]
    mapped = set()
    unmapped = set()
    for file, rule, resource in findings:
        hits = [name for name, tools in issues.items() if any(rule_matches(p, rule) for p in tools[tool])]
        if not hits:
            unmapped.add((file, rule, resource))
        for issue in hits:
            mapped.add((file, issue, resource))

    def matches(label, key):
        file, issue, resource = key
        return (file == label["file"] and issue == label["issue"]
                and all(t.lower() in resource.lower() for t in label["resource"]))

    found = [l for l in labels["labels"] if any(matches(l, k) for k in mapped)]
    missed = [l for l in labels["labels"] if l not in found]
    false_pos = sorted(k for k in mapped if not any(matches(l, k) for l in labels["labels"]))
    true_pos = len(mapped) - len(false_pos)
    return {
        "findings": len(set(findings)),
        "mapped_findings": len(mapped),
        "unmapped_findings": len(unmapped),
        "labels": len(labels["labels"]),
        "true_positives": len(found),
        "false_negatives": [f"{l['file']}: {l['issue']} {' '.join(l['resource'])}".strip() for l in missed],
        "false_positives": [f"{f}: {i} ({r})" for f, i, r in false_pos],
        "recall": len(found) / max(1, len(labels["labels"])),
        "precision": true_pos / max(1, len(mapped)),
    }


def parse_time(path):
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return seconds, rss_kb


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--labels", required=True)
    ap.add_argument("--bulwark", required=True)
    ap.add_argument("--checkov", required=True)
    ap.add_argument("--bulwark-times", nargs="+", required=True)
    ap.add_argument("--checkov-times", nargs="+", required=True)
    ap.add_argument("--json-out")
    args = ap.parse_args()
    labels = json.load(open(args.labels))
    results = {}
    for tool, findings, times in [
        ("bulwark", load_bulwark(args.bulwark), args.bulwark_times),
        ("checkov", load_checkov(args.checkov), args.checkov_times),
    ]:
        r = score(tool, findings, labels)
        samples = [parse_time(t) for t in times]
        r["wall_seconds_median"] = statistics.median(s for s, _ in samples)
        r["wall_seconds_all"] = [s for s, _ in samples]
        r["peak_rss_mb"] = max(k for _, k in samples) / 1024
        results[tool] = r
    b, c = results["bulwark"], results["checkov"]
    print(f"{'':22}{'bulwark':>12}{'checkov':>12}")
    rows = [
        ("findings (total)", "findings", "{}"),
        ("findings (scored)", "mapped_findings", "{}"),
        ("labels found", "true_positives", "{}"),
        ("recall", "recall", "{:.1%}"),
        ("precision", "precision", "{:.1%}"),
        ("wall time (median s)", "wall_seconds_median", "{:.3f}"),
        ("peak RSS (MB)", "peak_rss_mb", "{:.1f}"),
    ]
    for name, key, fmt in rows:
        print(f"{name:22}{fmt.format(b[key]):>12}{fmt.format(c[key]):>12}")
    print(f"\nspeed-up: {c['wall_seconds_median'] / max(b['wall_seconds_median'], 1e-3):.0f}x, "
          f"memory: {b['peak_rss_mb'] / max(c['peak_rss_mb'], 1e-3):.1%} of checkov's (time -v reports the largest single process)")
    for tool in ("bulwark", "checkov"):
        for kind in ("false_negatives", "false_positives"):
            if results[tool][kind]:
                print(f"\n{tool} {kind.replace('_', ' ')}:")
                for line in results[tool][kind]:
                    print(f"  {line}")
    if args.json_out:
        json.dump(results, open(args.json_out, "w"), indent=1)


if __name__ == "__main__":
    main()
