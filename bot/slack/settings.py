"""The settings moved to bot/settings.py: one Settings for the whole process."""

from bot.settings import WHERE, Settings, SettingsError

__all__ = ["WHERE", "Settings", "SettingsError"]
