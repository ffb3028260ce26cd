"""Install by link: one running app serves every workspace that installs it.

Bolt's OAuthSettings serve `/slack/install` (the "Add to Slack" page, with the state
cookie) and `/slack/oauth_redirect`; slack_sdk's SQLAlchemy installation and state stores
keep the installations on the app's own DATABASE_URL (SQLite, or PostgreSQL for several
instances). Every request is answered with its own workspace's token, found by Bolt's
InstallationStoreAuthorize, which also rotates expiring tokens (refresh tokens).

Tokens are encrypted at rest: EncryptedInstallationStore wraps slack_sdk's store and
passes it only Fernet ciphertext (TOKEN_ENCRYPTION_KEY). An uninstall, or the revocation
of the bot token, deletes the workspace's tokens and everything the store keeps about it.
"""

from __future__ import annotations

import logging
from typing import Optional

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation.rotator import TokenRotator
from sqlalchemy import Text, func, select

log = logging.getLogger("bot.slack.oauth")

# Every field of an installation that grants access: encrypted before it reaches the database.
SECRET_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token", "incoming_webhook_url")
MAKE_KEY = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
STATE_SECONDS = 600  # how long an "Add to Slack" link stays valid


def check_key(value: str | None) -> MultiFernet:
    """TOKEN_ENCRYPTION_KEY as Fernet keys: one, or several separated by commas (the first
    encrypts, all decrypt, so a key can be replaced without losing the stored tokens).
    ValueError, with a message that never repeats the key, when it is not one."""
    keys = [k.strip() for k in (value or "").split(",") if k.strip()]
    try:
        if not keys:
            raise ValueError
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError):
        raise ValueError(f"is not a Fernet key (32 url-safe base64-encoded bytes); make one with {MAKE_KEY}") from None


class WideTokenStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy installation store with its secret columns as TEXT: an
    encrypted rotating token is longer than the 200 characters slack_sdk allows, which
    PostgreSQL (unlike SQLite) would refuse."""

    @classmethod
    def _widen(cls, table):
        for name in SECRET_FIELDS:
            if name in table.c:
                table.c[name].type = Text()
        return table

    @classmethod
    def build_installations_table(cls, metadata, table_name):
        return cls._widen(super().build_installations_table(metadata, table_name))

    @classmethod
    def build_bots_table(cls, metadata, table_name):
        return cls._widen(super().build_bots_table(metadata, table_name))

    def installed_count(self) -> int:
        """Workspaces and orgs with a bot installed now (the table keeps every save)."""
        with self.engine.connect() as conn:
            pairs = select(self.bots.c.enterprise_id, self.bots.c.team_id).where(
                self.bots.c.client_id == self.client_id).distinct().subquery()
            return conn.execute(select(func.count()).select_from(pairs)).scalar() or 0


class EncryptedInstallationStore(InstallationStore):
    """Passes installations through to `inner` with every secret field encrypted, and
    decrypts what it finds. Without the key the database shows no token at all."""

    def __init__(self, inner: WideTokenStore, fernet: MultiFernet):
        self.inner, self.fernet = inner, fernet

    @property
    def logger(self) -> logging.Logger:
        return log

    def _seal(self, item):
        for name in SECRET_FIELDS:
            value = getattr(item, name, None)
            if value:
                setattr(item, name, self.fernet.encrypt(value.encode()).decode())
        return item

    def _open(self, item):
        if item is None:
            return None
        try:
            for name in SECRET_FIELDS:
                value = getattr(item, name, None)
                if value:
                    setattr(item, name, self.fernet.decrypt(value.encode()).decode())
        except InvalidToken:
            # Never the value: only which workspace, so an operator can reinstall there.
            log.error("a stored token of team %s cannot be decrypted with TOKEN_ENCRYPTION_KEY; was the key "
                      "replaced? Put the old key after the new one, comma-separated", getattr(item, "team_id", None))
            return None
        return item

    def save(self, installation: Installation):
        self.inner.save(self._seal(Installation(**installation.to_dict_for_copying())))

    def save_bot(self, bot: Bot):
        self.inner.save_bot(self._seal(Bot(**bot.to_dict_for_copying())))

    def find_bot(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                 is_enterprise_install: Optional[bool] = False) -> Optional[Bot]:
        return self._open(self.inner.find_bot(enterprise_id=enterprise_id, team_id=team_id,
                                              is_enterprise_install=is_enterprise_install))

    def find_installation(self, *, enterprise_id: Optional[str], team_id: Optional[str], user_id: Optional[str] = None,
                          is_enterprise_install: Optional[bool] = False) -> Optional[Installation]:
        return self._open(self.inner.find_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
                                                       is_enterprise_install=is_enterprise_install))

    def delete_bot(self, *, enterprise_id: Optional[str], team_id: Optional[str]) -> None:
        self.inner.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                            user_id: Optional[str] = None) -> None:
        self.inner.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    def installed_count(self) -> int:
        return self.inner.installed_count()


def oauth_settings(settings, engine, client, scopes) -> OAuthSettings:
    """Bolt's OAuth settings on the store's database. `client` is the app's Web API client,
    so oauth.v2.access (install and token rotation) goes where SLACK_API_URL says."""
    fernet = check_key(settings.encryption_key)
    inner = WideTokenStore(client_id=settings.client_id, engine=engine, logger=log)
    inner.create_tables()  # create_all: only the tables that are not there yet
    states = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine, logger=log)
    states.create_tables()
    store = EncryptedInstallationStore(inner, fernet)
    oauth = OAuthSettings(client_id=settings.client_id, client_secret=settings.client_secret, scopes=list(scopes),
                          user_scopes=[], installation_store=store, state_store=states,
                          state_expiration_seconds=STATE_SECONDS, logger=log)
    # Bolt builds its own token rotator on a default client (slack.com); ours follows SLACK_API_URL.
    oauth.authorize = InstallationStoreAuthorize(
        logger=log, installation_store=store, client_id=settings.client_id, client_secret=settings.client_secret,
        token_rotation_expiration_minutes=oauth.token_rotation_expiration_minutes, client=client)
    oauth.authorize.token_rotator = TokenRotator(client_id=settings.client_id, client_secret=settings.client_secret,
                                                 client=client)
    return oauth


def register(app, store: EncryptedInstallationStore, recorder) -> None:
    """Uninstall and revocation: the workspace's tokens and all its data go."""

    def forget(context, body, why: str) -> None:
        enterprise, team = context.enterprise_id, body.get("team_id") or context.team_id
        org_wide = bool(context.is_enterprise_install)
        store.delete_all(enterprise_id=enterprise, team_id=None if org_wide else team)
        deleted = recorder.purge(enterprise_id=enterprise) if org_wide else recorder.purge(team_id=team)
        log.info("%s: deleted the tokens of %s and its data (%s)", why, f"org {enterprise}" if org_wide else f"team {team}",
                 ", ".join(f"{n} {t}" for t, n in sorted(deleted.items())) or "no store")

    @app.event("app_uninstalled")
    def uninstalled(context, body):
        forget(context, body, "app uninstalled")

    @app.event("tokens_revoked")
    def revoked(event, context, body):
        tokens = event.get("tokens") or {}
        if tokens.get("bot"):  # the app can no longer answer there: as an uninstall
            forget(context, body, "bot token revoked")
            return
        for user in tokens.get("oauth") or []:  # only people's tokens (this app asks for none)
            store.delete_installation(enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user)
