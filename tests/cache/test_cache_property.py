"""The compile cache's one property: a cached `hll run` behaves exactly as
`hll run --no-cache` (the same output, traces and exit status), whatever is
done to the program's files between runs.

Each scenario, from its own fixed seed, writes a random program of a few
modules, some in sub-folders, some on a `--path` folder, some reached
through symbolic links, each printing a line and one throwing an error that
is traced through several files; then applies random edits (a module's
text, a new module that shadows another by the resolution rules, a swapped
link, a copied entry, a copied, renamed or deleted module, a touch) and
after each one compares a cached run with an uncached one.

HL_CACHE_SCENARIOS sets how many scenarios run (default 40, a few seconds),
HL_CACHE_SEED the first seed; a failure names the seed and the edits.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from cachesupport import hll_run

SCENARIOS = int(os.environ.get("HL_CACHE_SCENARIOS", "40"))
FIRST_SEED = int(os.environ.get("HL_CACHE_SEED", "0"))
STEPS = 8

# Folders (under the scenario's root) a module may be in, and the search
# path of a module in each: its own folder, then the program's roots.
ROOTS = ("proj", "ext")
FOLDERS = ("proj", "proj/lib", "proj/lib/deep", "ext", "ext/pkg")
BASES = ("alpha", "beta", "util", "math", "io", "box")      # math, io: standard library names too


class Scenario:
    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.specs: dict[str, dict] = {}        # file (relative to root) → how its text is made
        self.entry = "main.hl"
        self.log: list[str] = []
        self.serial = 0

    # --- texts ---------------------------------------------------------------------------------

    def label(self) -> str:
        self.serial += 1
        return f"L{self.serial}"

    def module_text(self, spec: dict) -> str:
        lines = ["// " + spec["label"]] * spec["blank"]
        lines += [f"import {spelling} as d{i};" for i, spelling in enumerate(spec["deps"])]
        total = " + ".join([str(spec["value"])] + [f"d{i}.f()" for i in range(len(spec["deps"]))])
        lines += ["fn f() -> int {", f'    println("{spec["label"]}");', f"    return {total};", "}",
                  "fn boom(n: int) -> int {", "    if n > 0 {", "        return boom(n - 1) + 1;", "    }",
                  f'    throw new Error("{spec["label"]}");', "}"]
        return "\n".join(lines) + "\n"

    def main_text(self, spec: dict) -> str:
        lines = ["// main"] * spec["blank"]
        lines += [f"import {spelling} as d{i};" for i, spelling in enumerate(spec["deps"])]
        lines += ["fn main() -> int {"]
        lines += [f"    println(d{i}.f());" for i in range(len(spec["deps"]))]
        if spec["throw"] is not None:
            lines += [f"    println(d{spec['throw']}.boom(2));"]
        lines += [f"    return {spec['value']};", "}"]
        return "\n".join(lines) + "\n"

    def write(self, rel: str) -> None:
        spec = self.specs[rel]
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        text = self.main_text(spec) if spec.get("main") else self.module_text(spec)
        if p.is_symlink():
            p.unlink()
        p.write_text(text)

    # --- names ---------------------------------------------------------------------------------

    def search(self, rel: str) -> list[str]:
        """The folders a module at `rel` searches, in order."""
        return [str(Path(rel).parent), *ROOTS]

    def spellings(self, importer: str, target: str) -> list[str]:
        """The import names under which `importer` may look for file `target`."""
        out = []
        for folder in self.search(importer):
            t = Path(target)
            if t.parent == Path(folder) or Path(folder) in t.parents:
                out.append(".".join(t.relative_to(folder).with_suffix("").parts))
        return out

    def imports(self) -> list[tuple[str, str]]:
        return [(rel, s) for rel, spec in self.specs.items() if (self.root / rel).exists()
                for s in spec["deps"]]

    # --- the program ---------------------------------------------------------------------------

    def build(self) -> None:
        rng = self.rng
        modules: list[str] = []
        for _ in range(rng.randint(2, 5)):
            rel = f"{rng.choice(FOLDERS)}/{rng.choice(BASES)}.hl"
            if rel in self.specs:
                continue
            deps = [s for m in rng.sample(modules, min(len(modules), rng.randint(0, 2)))
                    for s in self.spellings(rel, m)[:1]]
            self.specs[rel] = {"label": self.label(), "deps": deps, "value": rng.randint(0, 9),
                               "blank": rng.randint(0, 3)}
            modules.append(rel)
            if rng.random() < 0.3 and rel.startswith("proj/"):
                self.link(rel)
            else:
                self.write(rel)
        deps = sorted({s for m in modules for s in self.spellings("proj/main.hl", m)[:1]})
        self.specs["proj/main.hl"] = {"main": True, "deps": deps, "blank": rng.randint(0, 2),
                                      "throw": rng.randrange(len(deps)) if deps and rng.random() < 0.8
                                      else None, "value": rng.choice([0, 0, 3])}
        self.write("proj/main.hl")

    def link(self, rel: str) -> None:
        """Make `rel` a symbolic link to a new version of it under proj/impl/."""
        spec = dict(self.specs[rel], label=self.label())
        target = f"proj/impl/{Path(rel).stem}_{spec['label']}.hl"
        # A link's target is read from the link's folder: one `..` per folder below proj.
        up = "../" * (len(Path(rel).parts) - 2)
        self.specs[target] = spec
        self.write(target)
        p = self.root / rel
        if p.exists() or p.is_symlink():
            p.unlink()
        p.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(up + target[len("proj/"):], p)

    # --- edits ---------------------------------------------------------------------------------

    def existing(self) -> list[str]:
        return [r for r in self.specs if (self.root / r).exists() and not (self.root / r).is_symlink()]

    def edit_text(self) -> str:
        rel = self.rng.choice(self.existing())
        spec = self.specs[rel]
        spec["blank"] = self.rng.randint(0, 4)
        spec["value"] = self.rng.randint(0, 9)
        if not spec.get("main"):
            spec["label"] = self.label()
        self.write(rel)
        return f"edit {rel}"

    def shadow(self) -> str:
        importer, spelling = self.rng.choice(self.imports() or [("proj/main.hl", "math")])
        folder = self.rng.choice(self.search(importer))
        rel = f"{folder}/{spelling.replace('.', '/')}.hl"
        if rel in self.specs and (self.root / rel).exists():
            return self.edit_text()
        self.specs[rel] = {"label": self.label(), "deps": [], "value": self.rng.randint(0, 9),
                           "blank": self.rng.randint(0, 2)}
        self.write(rel)
        return f"shadow {spelling} (imported by {importer}) with {rel}"

    def swap_link(self) -> str:
        links = [r for r in self.specs if (self.root / r).is_symlink()]
        if not links:
            candidates = [r for r in self.existing() if r.startswith("proj/") and not r.startswith("proj/impl")
                          and not self.specs[r].get("main")]
            if not candidates:
                return self.edit_text()
            links = candidates
        rel = self.rng.choice(links)
        self.link(rel)
        return f"link {rel} to {os.readlink(self.root / rel)}"

    def copy_entry(self) -> str:
        new = f"main{self.label()}.hl"
        shutil.copyfile(self.root / "proj" / self.entry, self.root / "proj" / new)
        self.specs[f"proj/{new}"] = dict(self.specs[f"proj/{self.entry}"])
        self.entry = new
        return f"copy the entry to {new}"

    def copy_module(self) -> str:
        rel = self.rng.choice([r for r in self.existing() if not self.specs[r].get("main")] or ["proj/main.hl"])
        dest = f"{self.rng.choice(FOLDERS)}/{self.rng.choice(BASES)}.hl"
        if dest == rel or self.specs.get(rel, {}).get("main"):
            return self.edit_text()
        (self.root / dest).parent.mkdir(parents=True, exist_ok=True)
        if (self.root / dest).is_symlink():
            (self.root / dest).unlink()
        shutil.copyfile(self.root / rel, self.root / dest)
        self.specs[dest] = dict(self.specs[rel])
        if self.rng.random() < 0.3:
            (self.root / rel).unlink()
            return f"rename {rel} to {dest}"
        return f"copy {rel} to {dest}"

    def delete(self) -> str:
        choices = [r for r in self.specs if (self.root / r).is_symlink() or (self.root / r).exists()]
        rel = self.rng.choice([r for r in choices if r != f"proj/{self.entry}"] or choices)
        if rel == f"proj/{self.entry}":
            return self.edit_text()
        (self.root / rel).unlink()
        return f"delete {rel}"

    def restore(self) -> str:
        gone = [r for r in self.specs if not (self.root / r).exists() and not (self.root / r).is_symlink()]
        if not gone:
            return self.touch()
        rel = self.rng.choice(gone)
        self.write(rel)
        return f"restore {rel}"

    def touch(self) -> str:
        rel = self.rng.choice(self.existing())
        os.utime(self.root / rel)
        return f"touch {rel}"

    EDITS = (("edit_text", 4), ("shadow", 3), ("swap_link", 2), ("copy_entry", 1), ("copy_module", 2),
             ("delete", 1), ("restore", 3), ("touch", 1))

    def random_edit(self) -> str:
        names, weights = zip(*self.EDITS)
        return getattr(self, self.rng.choices(names, weights)[0])()

    # --- running -------------------------------------------------------------------------------

    def run(self, *flags):
        return hll_run(*flags, "--path", "../ext", self.entry, cwd=self.root / "proj")


def test_a_cached_run_behaves_as_an_uncached_one(tmp_path, cache):
    stats = {"runs": 0, "hits": 0, "errors": 0, "compile errors": 0}
    for n in range(SCENARIOS):
        seed = FIRST_SEED + n
        s = Scenario(tmp_path / f"s{seed}", random.Random(seed))
        (s.root / "ext").mkdir(parents=True)
        s.build()
        s.log.append("build")
        for step in range(STEPS + 1):
            if step:
                s.log.append(s.random_edit())
            before = cache.compiled
            cached = s.run()
            hit = cache.compiled == before
            uncached = s.run("--no-cache")
            assert cached == uncached, f"seed {seed}, after: {'; '.join(s.log)}"
            assert "Traceback" not in cached.err, f"seed {seed}, after: {'; '.join(s.log)}"
            if s.rng.random() < 0.3:        # and once more, from the entry just written
                assert s.run() == uncached, f"seed {seed}, again after: {'; '.join(s.log)}"
            stats["runs"] += 1
            stats["hits"] += hit
            stats["errors"] += cached.status == 1
            stats["compile errors"] += cached.status == 2
    print(f"{SCENARIOS} scenarios, {stats}")
    # The scenarios reach every kind of outcome, and the cache is used.
    assert stats["hits"] and stats["errors"] and stats["compile errors"] and stats["runs"] > stats["hits"]
