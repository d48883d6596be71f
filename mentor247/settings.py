"""mentor247's one settings module, read from environment variables.

Development defaults are safe to run on a laptop. With DEBUG off the platform is in production
mode and refuses to start without a real secret key, allowed hosts and HTTPS settings.
"""

import hashlib
import warnings
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mentor247.lib.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    is_fernet_key,
    kept_secret,
    local_url,
    url_host,
    url_origin,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", True)
# Development makes a random key of its own on first run and keeps it in VAR_DIR, so no two
# clones share one (nor the sandbox's webhook secret drawn from it); production is given one.
SECRET_KEY = env_str("SECRET_KEY") or (kept_secret(VAR_DIR / "secret_key") if DEBUG else "")
# Keys once committed to this repository, hence known to anyone.
PUBLISHED_SECRET_KEYS = frozenset(
    {"development-only-secret-key-never-use-this-in-production-0123456789"}
)
SITE_NAME = env_str("SITE_NAME", "mentor247")
# Where `make run` (mentor247.serve) listens.
HOST = env_str("HOST", "127.0.0.1")
PORT = env_int("PORT", 8000)
# Where the platform is reached: links in emails and calendar events, webhooks, and where
# payment pages send the browser. Development derives it from HOST and PORT; production is
# given its https:// address.
SITE_URL = env_str("SITE_URL", local_url(HOST, PORT) if DEBUG else "").rstrip("/")
SITE_ORIGIN = url_origin(SITE_URL)
if DEBUG and not SITE_ORIGIN:
    raise ImproperlyConfigured(
        f"mentor247 refuses to start: SITE_URL must be an http:// or https:// address such as "
        f"http://127.0.0.1:8000, not {SITE_URL!r}"
    )
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    list(dict.fromkeys(["127.0.0.1", "localhost", "[::1]", url_host(SITE_URL)])) if DEBUG else [],
)
# Addresses of the proxies whose X-Forwarded-For and X-Forwarded-Proto the ASGI server takes
# as the client's (comma-separated IPs or networks, as uvicorn's --forwarded-allow-ips); none
# by default, so the client's address is the connection's.
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", [])
# The server has put that address in REMOTE_ADDR; allauth's login limits take it from there
# rather than reading X-Forwarded-For themselves.
ALLAUTH_TRUSTED_PROXY_COUNT = 0
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "mentor247.accounts",
    "mentor247.policies",
    "mentor247.mentors",
    "mentor247.scheduling",
    "mentor247.bookings",
    "mentor247.notes",
    "mentor247.rooms",
    "mentor247.payments",
    "mentor247.techcheck",
    "mentor247.api",
    "mentor247.demo",
    "mentor247",
    # Django's admin, entered only through allauth's login (accounts.admin_site).
    "mentor247.accounts.admin_apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "django_countries",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mentor247.api.errors.api_errors",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mentor247.lib.middleware.permissions_policy",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mentor247.accounts.middleware.session_limits",
    "mentor247.accounts.middleware.viewer_preferences",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mentor247.accounts.middleware.staff_two_factor",
    "mentor247.policies.middleware.policy_acceptance",
]

ROOT_URLCONF = "mentor247.urls"
ASGI_APPLICATION = "mentor247.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mentor247" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentor247.lib.context_processors.chrome",
            ],
        },
    },
]

# Databases: SQLite by default; PostgreSQL (or any other) through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'mentor247.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock when a
    # transaction starts, so concurrent writers queue (up to the timeout) instead of failing
    # halfway with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"
        ),
    }
    # Tests use a file too, so that the browser tests' server threads share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
REDIS_MAX_CONNECTIONS = env_int("REDIS_MAX_CONNECTIONS", 2000)  # per server process


def redis_channel_layer(url: str, *, prefix: str) -> dict[str, object]:
    """The Redis channel layer at `url`, its keys named from `prefix`.

    channels_redis waits for a socket's messages with blocking pops of 5 seconds, and redis-py
    gives up on any read after `socket_timeout` (5 seconds unless told): the two race, and a
    lost race raises TimeoutError out of the consumer, closing a quiet socket. Reads may
    therefore take well beyond one pop; connecting still fails fast, and a connection left
    unused for a while is checked before use (keepalive, PING) rather than trusted.
    redis-py also refuses a command when its pool is used up (100 connections unless told):
    a burst of relayed signals must wait for Redis, never fail."""
    return {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": url,
                    "max_connections": REDIS_MAX_CONNECTIONS,
                    "socket_timeout": 15,
                    "socket_connect_timeout": 5,
                    "socket_keepalive": True,
                    "health_check_interval": 30,
                }
            ],
            "prefix": prefix,
        },
    }


if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": SITE_NAME,
        }
    }
    CHANNEL_LAYERS = {"default": redis_channel_layer(REDIS_URL, prefix=SITE_NAME)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# The largest request body taken (413 beyond, refused as it arrives: lib.body_limit): the
# API's, and every other page's (a photo of up to 5 MB with its form).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024)
REQUEST_MAX_BODY_BYTES = env_int("REQUEST_MAX_BODY_BYTES", 8 * 1024 * 1024)
# Requests a minute (or /s, /h, /d) the API takes from one person, and from one address
# calling without a token or login (api.throttling); over it, 429.
API_RATE_PERSON = env_str("API_RATE_PERSON", "600/m")
API_RATE_ADDRESS = env_str("API_RATE_ADDRESS", "120/m")

# Background work: Django's tasks API, stored in the database and run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Notes are encrypted at rest with these Fernet keys (comma-separated; the first encrypts, all
# decrypt, so a new key goes first and `manage.py rotate_note_keys` moves every note to it).
# Development derives one from SECRET_KEY; production refuses to start without its own.
NOTES_KEYS = env_list("NOTES_KEYS", [])

# Video rooms: STUN and TURN servers for WebRTC (comma-separated URLs), and the secret shared
# with the TURN server (coturn's REST scheme) to mint each participant's short-lived
# credentials. None on loopback, where peers reach each other directly.
STUN_URLS = env_list("STUN_URLS", [])
TURN_URLS = env_list("TURN_URLS", [])
TURN_SECRET = env_str("TURN_SECRET")

# Whether a mentor on a phone is refused at the room's door (otherwise warned; either way the
# attempt is recorded), and how often a connected participant's standing is checked again: a
# suspended, removed or logged-out participant is disconnected within that many seconds.
ROOMS_REFUSE_MENTOR_PHONE = env_bool("ROOMS_REFUSE_MENTOR_PHONE", False)
ROOMS_RECHECK_SECONDS = env_int("ROOMS_RECHECK_SECONDS", 5)

# Tech check: a network test holds a WebRTC peer on the server (techcheck.consumers) for at
# most this many seconds, and each server process runs at most this many tests at once.
TECHCHECK_SECONDS = env_int("TECHCHECK_SECONDS", 30)
TECHCHECK_MAX_PEERS = env_int("TECHCHECK_MAX_PEERS", 4)

# Bookings: how long a slot is held while the mentee pays, and until how many hours before the
# start a mentee may cancel or move a session free of charge.
BOOKING_HOLD_MINUTES = env_int("BOOKING_HOLD_MINUTES", 10)
BOOKING_FREE_CHANGE_HOURS = env_int("BOOKING_FREE_CHANGE_HOURS", 24)

# Payments: the platform's fee out of each price, in basis points (1500 is 15 %), shown to
# mentors and mentees at checkout and kept with each purchase.
PLATFORM_FEE_BASIS_POINTS = env_int("PLATFORM_FEE_BASIS_POINTS", 1500)
# Providers by name (payments.providers); new payments go through PAYMENT_PROVIDER. The
# sandbox signs its webhooks with SANDBOX_WEBHOOK_SECRET (by default one drawn from the
# SECRET_KEY).
PAYMENT_PROVIDERS = {
    "sandbox": "mentor247.payments.providers.sandbox.Sandbox",
    "stripe": "mentor247.payments.providers.stripe.Stripe",
}
# Stripe (PAYMENT_PROVIDER=stripe): the secret key, the webhook endpoint's signing secret,
# the publishable key for Stripe.js, and another API address for tests.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "")
PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER", "sandbox")
# Production refuses the sandbox (its test cards would pay for real sessions) unless this is
# set on purpose, for a staging site; every page then says "test mode".
PAYMENT_SANDBOX_IN_PRODUCTION = env_bool("PAYMENT_SANDBOX_IN_PRODUCTION", False)
PAYMENTS_TEST_MODE = not DEBUG and PAYMENT_PROVIDER == "sandbox"
# A session's money is released to the mentor this many hours after it ends, unless the
# mentee disputes it meanwhile.
PAYMENTS_DISPUTE_HOURS = env_int("PAYMENTS_DISPUTE_HOURS", 24)
# Payments, refunds and payouts without the provider's final word this many minutes after
# they start are asked about again by the tick, then with doubling waits.
PAYMENTS_RECONCILE_MINUTES = env_int("PAYMENTS_RECONCILE_MINUTES", 5)
# Payouts: every week on this day (0 is Monday) at this hour UTC, for mentors with at least
# the minimum of the currency available; a mentor may ask for a payout of any amount at any
# time. Minimums are in minor units, per currency (PAYOUT_MINIMUMS="EUR:2000,JPY:3000"
# overrides these), and PAYOUT_MINIMUM_DEFAULT for a currency not listed.
PAYOUT_WEEKDAY = env_int("PAYOUT_WEEKDAY", 0)
PAYOUT_HOUR = env_int("PAYOUT_HOUR", 6)
PAYOUT_MINIMUMS = {
    "USD": 2000,
    "EUR": 2000,
    "GBP": 2000,
    "CAD": 2500,
    "AUD": 3000,
    "JPY": 3000,
    "INR": 150000,
    "BRL": 10000,
    "MXN": 40000,
    "NPR": 250000,
} | {
    currency.strip().upper(): int(minimum)
    for currency, _sep, minimum in (item.partition(":") for item in env_list("PAYOUT_MINIMUMS", []))
}
PAYOUT_MINIMUM_DEFAULT = env_int("PAYOUT_MINIMUM_DEFAULT", 2000)
# Receipts and statements as PDF are set in this TrueType font (Debian's fonts-dejavu-core),
# which covers the scripts of people's names far beyond Latin.
PDF_FONT = env_str("PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PDF_FONT_BOLD = env_str("PDF_FONT_BOLD", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
SANDBOX_WEBHOOK_SECRET = env_str(
    "SANDBOX_WEBHOOK_SECRET", hashlib.sha256(f"sandbox-webhook:{SECRET_KEY}".encode()).hexdigest()
)

# Email: SMTP (or any backend dj-email-url knows) through EMAIL_URL; the console by default.
EMAIL_URL = env_str("EMAIL_URL", "console:")
vars().update(dj_email_url.parse(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@mentor247.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "mentor247.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "mentor247.accounts.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Failed logins are limited per address and per account; both windows roll, so the cool-off
# always ends. On a device that logged in to the account before, the account's limit counts
# that device alone, so failures from elsewhere never lock the owner out (accounts.devices).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_known_device": "10/m/ip,5/5m/key",
}
MFA_ADAPTER = "mentor247.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Two-factor secrets (TOTP keys, recovery codes' seeds) are encrypted at rest with these
# Fernet keys (comma-separated; the first encrypts, all decrypt). Development derives one from
# SECRET_KEY; production refuses to start without its own.
TWO_FACTOR_KEYS = env_list("TWO_FACTOR_KEYS", [])
MFA_TOTP_ISSUER = SITE_NAME
# Accept the code of the step before or after the current one, for phones whose clocks drift.
MFA_TOTP_TOLERANCE = 1

# Login sessions end after SESSION_IDLE_SECONDS without a request, and SESSION_COOKIE_AGE
# after login whatever happens; logging out deletes them on the server.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 14 * 24 * 60 * 60)
SESSION_COOKIE_SAMESITE = "Lax"
# The language chosen by a visitor; no script reads it.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Languages and time.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "mentor247" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# Static files, served by WhiteNoise from the ASGI server itself.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files (mentor photos) go through the default storage: the local folder MEDIA_ROOT,
# or any storage backend named by MEDIA_STORAGE (e.g. an object store's, with its own settings).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
# The platform serves MEDIA_ROOT itself unless the files are stored elsewhere.
SERVE_MEDIA = env_bool(
    "SERVE_MEDIA", MEDIA_STORAGE == "django.core.files.storage.FileSystemStorage"
)
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "mentor247.lib.static_storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Security headers. No page carries inline scripts or styles, so the policy needs no exceptions
# beyond data: images (the two-factor QR code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        # Forms may also lead to SITE_URL: payment pages redirect there.
        "form-action": [SELF, *([SITE_ORIGIN] if SITE_ORIGIN else [])],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=()"
)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    problems = []
    if SECRET_KEY in PUBLISHED_SECRET_KEYS or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if not NOTES_KEYS or not all(is_fernet_key(key) for key in NOTES_KEYS):
        problems.append(
            "NOTES_KEYS must hold at least one Fernet key to encrypt notes with, and nothing "
            "but Fernet keys (Fernet.generate_key())"
        )
    if not TWO_FACTOR_KEYS or not all(is_fernet_key(key) for key in TWO_FACTOR_KEYS):
        problems.append(
            "TWO_FACTOR_KEYS must hold at least one Fernet key to encrypt two-factor secrets "
            "with, and nothing but Fernet keys"
        )
    if not ALLOWED_HOSTS or any("*" in host or not host.strip(".") for host in ALLOWED_HOSTS):
        problems.append("ALLOWED_HOSTS must name the hosts the platform serves, without wildcards")
    if not SITE_ORIGIN.startswith("https://"):
        problems.append("SITE_URL must be the platform's https:// address")
    if not SECURE_SSL_REDIRECT or SECURE_HSTS_SECONDS <= 0:
        problems.append("HTTPS must stay on (SECURE_SSL_REDIRECT and SECURE_HSTS_SECONDS)")
    if PAYMENT_PROVIDER not in PAYMENT_PROVIDERS:
        problems.append(f"PAYMENT_PROVIDER must be one of {', '.join(PAYMENT_PROVIDERS)}")
    if PAYMENT_PROVIDER == "sandbox" and not PAYMENT_SANDBOX_IN_PRODUCTION:
        problems.append(
            "PAYMENT_PROVIDER is the sandbox, whose test cards pay for real sessions: choose "
            "a real provider, or set PAYMENT_SANDBOX_IN_PRODUCTION=true for a test site"
        )
    if PAYMENT_PROVIDER == "stripe":
        stripe_keys = {
            "STRIPE_SECRET_KEY": STRIPE_SECRET_KEY,
            "STRIPE_PUBLISHABLE_KEY": STRIPE_PUBLISHABLE_KEY,
            "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
        }
        missing = [name for name, value in stripe_keys.items() if not value]
        if missing:
            problems.append("Stripe needs " + ", ".join(missing))
        if STRIPE_API_BASE:
            problems.append("STRIPE_API_BASE points Stripe elsewhere; it is for tests only")
    if problems:
        raise ImproperlyConfigured(
            "mentor247 refuses to start in production mode (DEBUG off): " + "; ".join(problems)
        )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The tech check's WebRTC peer logs every ICE candidate pair (people's addresses) at
        # INFO; none of it is kept.
        "aioice": {"level": "WARNING"},
        "aiortc": {"level": "WARNING"},
    },
}

# WhiteNoise hands files to the ASGI handler as a synchronous iterator; Django warns on each one.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)
