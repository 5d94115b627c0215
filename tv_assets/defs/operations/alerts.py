"""Run failures pushed to Slack, when Slack is configured; otherwise the sensor skips quietly.

Configure either an incoming webhook (`SLACK_WEBHOOK_URL`) or a bot token and channel
(`SLACK_BOT_TOKEN`, `SLACK_CHANNEL`). Both secrets are read through `dg.EnvVar`; neither appears in
messages, logs or errors. `DAGSTER_UI_URL` adds a link to the run.
"""

import os

import dagster as dg
import requests

from tv_assets.platform.partitions import RANGE_END, RANGE_START


class SlackNotifier(dg.ConfigurableResource):
    """Posts a text message to Slack by webhook, or by `chat.postMessage` with a bot token."""

    webhook_url: str | None = None
    bot_token: str | None = None
    channel: str | None = None
    api_url: str = "https://slack.com/api"
    timeout_s: float = 10.0

    @property
    def configured(self) -> bool:
        return bool(self.webhook_url or (self.bot_token and self.channel))

    def post(self, text: str) -> None:
        try:
            self._post(text)
        except requests.RequestException as exc:
            # requests quotes the URL it failed on, and a webhook URL is a secret: keep only the kind
            raise RuntimeError(f"Slack could not be reached: {type(exc).__name__}") from None

    def _post(self, text: str) -> None:
        if self.webhook_url:
            response = requests.post(self.webhook_url, json={"text": text}, timeout=self.timeout_s)
            ok, detail = response.ok, response.text[:200]
        elif self.bot_token and self.channel:
            response = requests.post(
                f"{self.api_url.rstrip('/')}/chat.postMessage",
                headers={"Authorization": f"Bearer {self.bot_token}"},
                json={"channel": self.channel, "text": text},
                timeout=self.timeout_s,
            )
            body = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
            ok, detail = response.ok and body.get("ok", False), str(body.get("error", response.status_code))
        else:
            raise RuntimeError("Slack is not configured: set SLACK_WEBHOOK_URL, or SLACK_BOT_TOKEN and SLACK_CHANNEL")
        if not ok:  # say what Slack answered, never the URL or token that was used
            raise RuntimeError(f"Slack refused the message: HTTP {response.status_code} {detail}")


def slack_from_env() -> SlackNotifier:
    """The notifier as the environment configures it (secrets stay `EnvVar` references)."""
    config: dict = {}
    if os.environ.get("SLACK_WEBHOOK_URL"):
        config["webhook_url"] = dg.EnvVar("SLACK_WEBHOOK_URL")
    if os.environ.get("SLACK_BOT_TOKEN"):
        config["bot_token"] = dg.EnvVar("SLACK_BOT_TOKEN")
    if os.environ.get("SLACK_CHANNEL"):
        config["channel"] = os.environ["SLACK_CHANNEL"]
    if os.environ.get("SLACK_API_URL"):
        config["api_url"] = os.environ["SLACK_API_URL"]
    return SlackNotifier(**config)


def failure_text(run: dg.DagsterRun, error: str | None, ui_url: str | None = None) -> str:
    """The Slack message for a failed run: job, partitions, the first lines of the error, a link."""
    tags = run.tags
    bounds = [tags.get(RANGE_START), tags.get(RANGE_END)]
    partitions = tags.get("dagster/partition") or " .. ".join(dict.fromkeys(p for p in bounds if p))
    lines = [
        f":red_circle: tv_assets run failed: *{run.job_name}*" + (f" (partitions {partitions})" if partitions else "")
    ]
    lines.append(
        f"run `{run.run_id}`" + (f" <{ui_url.rstrip('/')}/runs/{run.run_id}|open in Dagster>" if ui_url else "")
    )
    if error:
        detail = error.strip().splitlines()
        lines.append("```" + "\n".join(detail[:8])[:1500] + "```")
    return "\n".join(lines)


@dg.run_failure_sensor(
    name="slack_on_run_failure",
    description="Posts every failed run of this code location to Slack, when Slack is configured.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def slack_on_run_failure(context: dg.RunFailureSensorContext, slack: SlackNotifier) -> None:
    if not slack.configured:
        context.log.info("Slack is not configured (SLACK_WEBHOOK_URL, or SLACK_BOT_TOKEN + SLACK_CHANNEL); not posting")
        return
    # The run's own failure event only names the failed steps; each step's error says why.
    causes = [f"{event.step_key}: {_step_error(event)}" for event in context.get_step_failure_events()] or [
        context.failure_event.message or "no error message"
    ]
    slack.post(failure_text(context.dagster_run, "\n".join(causes), os.environ.get("DAGSTER_UI_URL")))


def _step_error(event: dg.DagsterEvent) -> str:
    data = event.step_failure_data
    if data.user_failure_data and data.user_failure_data.description:
        return data.user_failure_data.description
    return data.error.message.strip() if data.error else "unknown error"
