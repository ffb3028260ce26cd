"""The Slack app: a thin layer of Bolt listeners over the one answer engine."""
