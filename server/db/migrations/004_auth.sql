-- Users with roles, login sessions and API / screen tokens, and the audit log of every write.
CREATE TABLE users (
  id            serial PRIMARY KEY,
  username      text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.@-]{2,64}$'),
  display_name  text NOT NULL,
  -- viewer: big screen, read-only; dispatcher: incident workflow; editor: grid boundaries; admin: everything
  role          text NOT NULL CHECK (role IN ('viewer', 'dispatcher', 'editor', 'admin')),
  -- a dispatcher's township (NULL = the whole county)
  township_id   integer REFERENCES regions(id),
  -- scrypt$N$r$p$salt$hash (base64url)
  password_hash text,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Only a hash of each token is stored: a leaked table does not leak sessions.
CREATE TABLE auth_tokens (
  token_hash    bytea PRIMARY KEY,
  user_id       integer NOT NULL REFERENCES users(id),
  -- session: browser login (cookie); api: bearer token for another system; screen: long-lived read-only wall screen
  kind          text NOT NULL CHECK (kind IN ('session', 'api', 'screen')),
  label         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id);

CREATE TABLE audit_log (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  user_id    integer REFERENCES users(id),
  actor      text NOT NULL,
  action     text NOT NULL,
  target     text,
  detail     jsonb,
  ip         text
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
