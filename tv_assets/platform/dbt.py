"""dbt as the platform runs it: the project and its manifest, the translator, the CLI resource, and the
environment and target folder of one `dbt build` (the assets themselves are in `tv_assets/defs/dbt/`).

The manifest is prepared ahead (`make manifest`, the Dockerfile, the test setup; `dagster dev` re-parses
on load as dagster-dbt does), never while the code location is imported.
"""

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
import secrets
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
import yaml
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject
from dagster_dbt.asset_utils import DAGSTER_DBT_PROJECT_METADATA_KEY
from packaging import version

from tv_assets.platform.assets import OWNERS
from tv_assets.platform.settings import DBT_PROJECT_DIR

PARTIAL_PARSE = "partial_parse.msgpack"  # dbt's saved parse of the project
SAVED_PARSE = "partial_parse-{}.msgpack"  # the saved parse of one warehouse profile, by its digest
# Warehouse profiles whose saved parse is kept: the deployment's, plus the demo's, a benchmark's or the
# tests' (each test has its own DuckDB file, and parallel tests build into several at once).
SAVED_PARSES_KEPT = 8

# The daily title graph reads the newest Kaggle drop when there is one (the `newest_drop` macro), so a
# drop that never arrived must not hold it back; a new drop still triggers it.
EAGER_BEFORE_ANY_DROP = (
    dg.AutomationCondition.eager().without(~dg.AutomationCondition.any_deps_missing())
    & ~dg.AutomationCondition.any_deps_missing().ignore(dg.AssetSelection.tag("arrival", ""))
).with_label("eager (a Kaggle drop not yet arrived does not hold it back)")


class TvAssetsTranslator(DagsterDbtTranslator):
    """Keys follow the warehouse (`raw/…`, `staging/…`, `marts/…`); groups follow the source folder; the
    layer (the schema) is a kind and a tag, so the lineage graph shows it on every node."""

    def __init__(self, project: DbtProject) -> None:
        super().__init__(DagsterDbtTranslatorSettings(enable_code_references=True))
        self.project = project

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        # dagster-dbt reads the project back from the metadata kept out below: this translator keeps it.
        spec = super().get_asset_spec(manifest, unique_id, project or self.project)
        layer = spec.key.path[0]
        # dagster-dbt keeps the DbtProject object itself in the metadata, which the UI can only show as
        # "[DbtProject] (unserializable)"; the dbt resource is built from the same project.
        metadata = {k: v for k, v in spec.metadata.items() if k != DAGSTER_DBT_PROJECT_METADATA_KEY}
        return spec.replace_attributes(metadata=metadata).merge_attributes(
            kinds={layer}, tags={"layer": layer}, owners=OWNERS
        )

    def get_asset_check_spec(
        self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=test_description(manifest["nodes"][unique_id]))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        schema = dbt_resource_props["config"].get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> dg.AutomationCondition | None:
        # Models follow their inputs for the newest partition; older partitions are filled by backfills.
        if "arrival" in dbt_resource_props.get("tags", []):
            return dg.AutomationCondition.eager()
        return EAGER_BEFORE_ANY_DROP

    def get_partition_mapping(
        self, dbt_resource_props: Mapping[str, Any], dbt_parent_resource_props: Mapping[str, Any]
    ) -> dg.PartitionMapping | None:
        # A model of another partitioning that reads the monthly CPI reads all of it, up to the newest
        # month; a daily model that reads a Kaggle drop reads the newest drop (the `newest_drop` macro).
        parent_tags, tags = dbt_parent_resource_props.get("tags", []), dbt_resource_props.get("tags", [])
        if any(tag in parent_tags and tag not in tags for tag in ("monthly", "arrival")):
            return dg.LastPartitionMapping()
        return None

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        # models/<layer>/<group>/<model> and seeds/<group>/<seed>: the folder above the node names the group
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[-2] if len(fqn) >= 3 else super().get_group_name(dbt_resource_props)


def test_description(node: Mapping[str, Any]) -> str:
    """What a dbt test checks, in words: its own description, else one made from the generic test and its
    arguments (dbt leaves generic tests undescribed, and their names are cut to fit identifiers)."""
    if node.get("description"):
        return node["description"]
    test = node.get("test_metadata") or {}
    if not test:  # a singular test: the rule is the comment its SQL (kept in the manifest) opens with
        lines = node.get("raw_code", "").splitlines()
        comment = " ".join(line.removeprefix("--").strip() for line in lines if line.startswith("--"))
        return comment or f"The rows `{node['original_file_path']}` returns break its rule."
    name, kwargs = test["name"], {k: v for k, v in test.get("kwargs", {}).items() if k != "model"}
    column = kwargs.pop("column_name", None) or node.get("column_name")
    where = f"`{column}`" if column else "each row"
    rules = {
        "not_null": f"{where} is never null.",
        "unique": f"{where} is unique.",
        "accepted_values": f"{where} is one of: {', '.join(map(str, kwargs.get('values', [])))}.",
        "relationships": f"every {where} is found in {kwargs.get('to', '?')}.{kwargs.get('field', '?')}.",
        "unique_combination": f"each ({', '.join(kwargs.get('columns', []))}) occurs once.",
        "value_between": f"{where} lies between {kwargs.get('min_value')} and {kwargs.get('max_value')} when set.",
    }
    text = rules.get(name) or f"{test.get('namespace') or 'dbt'} test `{name}` on {where}" + (
        f" ({', '.join(f'{k}={v}' for k, v in kwargs.items())})." if kwargs else "."
    )
    return text[0].upper() + text[1:]


class ManifestError(RuntimeError):
    """The dbt manifest the asset graph is read from is missing or older than the project's files."""


def dbt_project(target: str) -> DbtProject:
    """The project for a dbt target (profiles.yml), its manifest checked ready; see `prepare`."""
    project = _project(target)
    project.prepare_if_dev()  # under `dagster dev` only: edits to models show on reload
    if manifest_is_stale(project.manifest_path, DBT_PROJECT_DIR):
        raise ManifestError(
            f"the dbt manifest of target {target!r} ({project.manifest_path}) is missing or older "
            "than the dbt project: run `make manifest` (or `python -m tv_assets.platform.dbt "
            f"{target}`) first"
        )
    return project


@functools.cache  # the asset definitions and the resource share one project per target
def _project(target: str) -> DbtProject:
    # Manifests are target-specific, so each target keeps its own target path.
    return DbtProject(
        project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target=target, target_path=Path("target") / target
    )


def prepare(target: str) -> Path:
    """Parse the project for `target` when its manifest is missing or stale (about 5 s); its path."""
    project = _project(target)
    if manifest_is_stale(project.manifest_path, DBT_PROJECT_DIR):
        # dagster-dbt's preparer would look for `dbt` on PATH; this environment's own is used instead.
        DbtCli(project_dir=project, dbt_executable=dbt_executable()).cli(  # type: ignore[arg-type]
            ["parse", "--quiet"], target_path=project.target_path
        ).wait()
    return project.manifest_path


def manifest_is_stale(manifest: Path, project_dir: Path) -> bool:
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in ("models", "macros", "tests", "seeds"):
        sources += (project_dir / folder).rglob("*")
    return any(path.is_file() and path.stat().st_mtime > built for path in sources)


def project_vars() -> dict[str, Any]:
    """The project's vars as dbt_project.yml sets them: the models read the same ones."""
    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


class DbtCli(DbtCliResource):
    """dagster-dbt's resource without two start-up costs (5 s per `dbt build` on 2 cores) this project
    gets nothing from: asking the `dbt` executable its version (`dbt --version` looks up the newest
    release online, about 3.8 s here), when the pinned dbt-core of this environment is that executable;
    and a dbt adapter built in the run process (about 1.3 s), used only by `fetch_row_counts` and
    `fetch_column_metadata`, which the models' metadata does not call (it queries the warehouse itself).
    """

    @functools.cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


def dbt_executable() -> str:
    """dbt is a console script of this interpreter's environment: found even when the venv is not activated."""
    executable = Path(sys.executable).parent / "dbt"
    return str(executable) if executable.exists() else "dbt"


def dbt_resource(project: DbtProject) -> DbtCli:
    # DbtCliResource takes the project itself (its own validator reads it), though typed as a path.
    return DbtCli(project_dir=project, dbt_executable=dbt_executable())  # type: ignore[arg-type]


@contextlib.contextmanager
def dbt_env(window: Mapping[str, str], extra: Mapping[str, str] = {}) -> Iterator[None]:  # noqa: B006 (read only)
    """The partition window as TV_ASSETS_MIN_DATE/TV_ASSETS_MAX_DATE, and `extra` (what the profile reads
    to reach the warehouse), for the dbt process this block starts (dagster-dbt passes the run's
    environment on). The `window_bounds` macro reads the window when models execute: passed as `--vars`,
    a new window would make dbt parse the whole project again."""
    names = {**{f"TV_ASSETS_{name.upper()}": value for name, value in window.items()}, **extra}
    before = {name: os.environ.get(name) for name in names}
    os.environ.update(names)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def saved_parse(project: DbtProject, profile: Mapping[str, str]) -> Path:
    """Where the project's saved parse for one warehouse profile is kept. dbt throws a saved parse away
    when the profile differs (the profile is part of its state check), so each warehouse (each DuckDB
    file) keeps its own: runs into one warehouse never undo another's. `profile` is what the profile
    reads to reach the warehouse (`Warehouse.dbt_env`); none (Snowflake's comes from the deployment) is
    the one file dagster-dbt itself would look for."""
    folder = project.project_dir / project.target_path
    if not profile:
        return folder / PARTIAL_PARSE
    digest = hashlib.sha256(json.dumps(sorted(profile.items())).encode()).hexdigest()[:16]
    return folder / SAVED_PARSE.format(digest)


def with_saved_parse(project: DbtProject, run_id: str, profile: Mapping[str, str]) -> Path:
    """A new target folder for one dbt invocation, holding the saved parse of this warehouse profile (or
    else the one `prepare` left), so dbt parses only what changed since (dagster-dbt looks for a saved
    parse in `target/`, not in the target's own folder this project parses into)."""
    folder = project.project_dir / project.target_path / f"run-{run_id[:8]}-{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    saved, prepared = saved_parse(project, profile), saved_parse(project, {})
    # A warehouse's first build starts from `prepare`'s parse: dbt uses it when the profile is the same.
    for candidate in (saved, prepared):
        if candidate.exists():
            shutil.copy(candidate, folder / PARTIAL_PARSE)
            break
    return folder


def keep_parse(folder: Path, project: DbtProject, profile: Mapping[str, str]) -> None:
    """Save a successful invocation's parse as its warehouse profile's, so the next build into the same
    warehouse parses only what changed; written under a temporary name, then renamed. Only the
    `SAVED_PARSES_KEPT` most recently saved profiles are kept (about 1.4 MB each)."""
    parsed, saved = folder / PARTIAL_PARSE, saved_parse(project, profile)
    if not parsed.exists():
        return
    staged = saved.with_name(f".{saved.name}.{secrets.token_hex(4)}")
    shutil.copy(parsed, staged)
    os.replace(staged, saved)
    by_age = sorted(saved.parent.glob(SAVED_PARSE.format("*")), key=_mtime, reverse=True)
    for old in by_age[SAVED_PARSES_KEPT:]:
        old.unlink(missing_ok=True)  # another build may have pruned it already


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # pruned by another build meanwhile: the oldest
        return 0.0


# dbt's events that say how one invocation parsed the project (dbt-core's parser/manifest.py).
PARSE_EVENTS = {
    "PartialParsingSkipParsing": "partial",  # the saved parse used as is: nothing changed
    "PartialParsingEnabled": "partial",  # only the files that changed parsed again
    "UnableToPartialParse": "full",  # the whole project parsed; the message says why
    "PartialParsingNotEnabled": "full",
}


def parse_report(log: Path) -> str:
    """How one dbt invocation parsed the project, from its `dbt.log` (dbt's JSON log lines, which
    dagster-dbt asks for): `partial: …` or `full: …` with dbt's own words, the last such event winning
    (dbt may start partially, then fall back to a full parse)."""
    report = "unknown: dbt's log has no parse event"
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    for line in lines:
        if '"name"' not in line or "Pars" not in line:  # cheap filter: the log holds every node's events
            continue
        try:
            info = json.loads(line)["info"]
        except (ValueError, KeyError, TypeError):
            continue
        if kind := PARSE_EVENTS.get(info.get("name")):
            report = f"{kind}: {info.get('msg', '')}"
    return report


def asset_key_of(context: dg.AssetExecutionContext, event: dg.Output | dg.AssetMaterialization) -> dg.AssetKey | None:
    if isinstance(event, dg.AssetMaterialization):
        return event.asset_key
    return context.asset_key_for_output(event.output_name)


if __name__ == "__main__":  # `python -m tv_assets.platform.dbt [target ...]`: prepare the manifests (make manifest)
    for name in sys.argv[1:] or ["duckdb"]:
        print(f"dbt manifest ({name}): {prepare(name)}")
