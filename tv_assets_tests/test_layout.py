"""The layout's rules, checked: one folder per source found without lists, no import cycle, `platform`
imports no source, production code never imports the sample API, and importing the code location has
no side effects beyond building definitions."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import dagster as dg
import pytest

from tv_assets import defs as defs_package
from tv_assets.platform.settings import PROJECT_ROOT, load_settings

PACKAGE = PROJECT_ROOT / "tv_assets"


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every tv_assets module `path` imports, at the top or deferred inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            # `from tv_assets import defs` imports the module tv_assets.defs
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports(path) if m in modules and m != name} for name, path in modules.items()}


def is_sample(module: str) -> bool:
    return module.startswith("tv_assets.sample_api") or module.split(".")[-1].startswith("sample")


def test_no_module_imports_itself_back_through_others(graph: dict[str, set[str]]) -> None:
    def cycle_from(start: str) -> list[str] | None:
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    return [*path, start]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
        return None

    cycles = [cycle for module in graph if (cycle := cycle_from(module))]
    assert not cycles, "import cycle: " + " -> ".join(cycles[0])


def test_the_platform_imports_no_source_and_production_code_never_the_sample_api(graph: dict[str, set[str]]) -> None:
    platform = {m: deps for m, deps in graph.items() if m.startswith("tv_assets.platform")}
    assert len(platform) > 10
    assert {m: sorted(d for d in deps if not d.startswith("tv_assets.platform")) for m, deps in platform.items()} == {
        m: [] for m in platform
    }
    # The sample API's users are the demo and the sample routes themselves (the tests and benchmarks sit outside).
    production = {m: deps for m, deps in graph.items() if not is_sample(m) and m != "tv_assets.demo"}
    assert "tv_assets.definitions" in production and "tv_assets.defs.tvmaze.resource" in production
    assert {m: sorted(filter(is_sample, deps)) for m, deps in production.items() if any(map(is_sample, deps))} == {}


def test_every_source_folder_holds_its_client_resource_assets_definitions_and_sample() -> None:
    for source in ("tvmaze", "tmdb", "x", "imdb", "kaggle", "fred"):
        folder = PACKAGE / "defs" / source
        assert {p.name for p in folder.glob("*.py")} >= {
            "client.py",
            "resource.py",
            "assets.py",
            "definitions.py",
            "sample.py",
        }, source


def test_a_new_folder_under_defs_joins_the_code_location_with_its_assets_jobs_and_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "newsource"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "definitions.py").write_text(
        textwrap.dedent("""
        import dagster as dg

        @dg.asset(key=["raw", "newsource_items"], group_name="newsource",
                  check_specs=[dg.AssetCheckSpec("has_rows", asset=["raw", "newsource_items"])])
        def items():
            return dg.MaterializeResult(check_results=[dg.AssetCheckResult(passed=True)])

        job = dg.define_asset_job("newsource_daily", selection=dg.AssetSelection.groups("newsource"))

        def definitions(settings):
            return dg.Definitions(assets=[items], jobs=[job])
    """)
    )
    monkeypatch.setattr(defs_package, "__path__", [*defs_package.__path__, str(tmp_path)])
    from tv_assets.definitions import build_definitions, folders

    assert "newsource" in folders()
    built = build_definitions(load_settings())
    graph = built.resolve_asset_graph()
    key = dg.AssetKey(["raw", "newsource_items"])
    assert key in graph.get_all_asset_keys()
    assert dg.AssetCheckKey(key, "has_rows") in graph.asset_check_keys
    assert built.resolve_job_def("newsource_daily").name == "newsource_daily"
    assert built.resolve_job_def("tvmaze_daily")  # and every existing folder is still there
    sys.modules.pop("tv_assets.defs.newsource.definitions", None)
    sys.modules.pop("tv_assets.defs.newsource", None)


def test_importing_the_code_location_changes_no_environment_starts_no_server_and_parses_nothing(
    tmp_path: Path,
) -> None:
    manifest = PROJECT_ROOT / "dbt" / "target" / "duckdb" / "manifest.json"
    before = manifest.stat().st_mtime_ns
    code = textwrap.dedent("""
        import json, os, sys, threading
        environ = dict(os.environ)
        import tv_assets.definitions as d
        print(json.dumps({
            "changed": sorted(k for k in set(environ) | set(os.environ) if environ.get(k) != os.environ.get(k)),
            "threads": threading.active_count(),
            "samples": sorted(m for m in sys.modules if m.startswith("tv_assets") and
                              (m.startswith("tv_assets.sample_api") or m.rsplit(".", 1)[-1].startswith("sample"))),
            "assets": len(d.defs.assets),
        }))
    """)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TV_ASSETS_SOURCES": "sample"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["assets"] > 20
    assert report == {**report, "changed": [], "samples": [], "threads": 1}
    assert manifest.stat().st_mtime_ns == before  # no dbt parse on import
