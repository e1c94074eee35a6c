#!/usr/bin/env python3
"""The layer boundary (docs/architecture.md), checked where SwiftPM does not: a target that serves HTTP or the CLI
(it depends on Hummingbird or ArgumentParser) may neither declare nor import storage, the warehouse or a database
driver — except `Server`, the composition root that wires stores into use cases. SwiftPM lets a module import any
module its dependencies bring along, so the imports of every source file are read as well as Package.swift.
Exits 1 naming each crossing."""
import json
import pathlib
import re
import subprocess
import sys

FORBIDDEN = {"Storage", "Warehouses", "SQLKit", "SQLiteKit", "PostgresKit", "PostgresNIO", "SQLiteSandbox", "SystemSQLite"}
FRONT_END_MARKERS = {"Hummingbird", "ArgumentParser"}
COMPOSITION_ROOT = "Server"

root = pathlib.Path(__file__).resolve().parent.parent
package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True, capture_output=True, text=True).stdout)


def dependency_names(target):
    for dependency in target["dependencies"]:
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                yield dependency[kind][0]


crossings = []
checked = []
for target in package["targets"]:
    if target["type"] not in ("regular", "executable") or target["name"] == COMPOSITION_ROOT:
        continue
    declared = set(dependency_names(target))
    if not declared & FRONT_END_MARKERS:
        continue
    checked.append(target["name"])
    for name in sorted(declared & FORBIDDEN):
        crossings.append(f"Package.swift: {target['name']} depends on {name}")
    sources = root / (target.get("path") or f"Sources/{target['name']}")
    for file in sorted(sources.rglob("*.swift")):
        for number, line in enumerate(file.read_text().splitlines(), 1):
            # Any attributes (`@testable`, `@preconcurrency`, `@_exported`) and access level (`internal import`) before it.
            match = re.match(
                r"\s*(?:@\w+\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+"
                r"(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?(\w+)", line)
            if match and match.group(1) in FORBIDDEN:
                crossings.append(f"{file.relative_to(root)}:{number}: {target['name']} imports {match.group(1)}")

if not checked:
    sys.exit("check-layers: found no front-end target to check; has Package.swift changed shape?")
for crossing in crossings:
    print(crossing)
print(f"check-layers: {', '.join(checked)}: {'no crossing' if not crossings else f'{len(crossings)} crossing(s)'}")
sys.exit(1 if crossings else 0)
