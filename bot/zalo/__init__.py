"""Zalo, through the Zalo Bot Platform's HTTP API (httpx): updates -> Incoming, Reply -> text with
numbered choices. Thin.

- `client`: the API (`POST {base}{token}/{method}`, JSON, the `ok`/`result` envelope), sendMessage
  cut at 2,000 characters on line ends, short retries of 429/5xx/timeouts.
- `updates`: the update JSON as typed values (wrapped or bare webhook bodies, dates in ms or s).
- `choices`: buttons as "1 ✅ Xong · 2 📊 Tiến độ …", and "1", "số 1", "xong" read back.
- `store`: inbound updates stored before processing (`InboundUpdate`, one row per message id),
  and the last prompt's choices per chat (`NumberedPrompt`, its own table: the conversation's
  `ChatState` rows are left alone).
- `inbox`: store, dedupe, process in the background in order per chat, answer; `runner` polls or
  registers the webhook; `webhook` is the route the web app mounts; `sender` is the dispatcher's
  `Sender`; `channel` assembles them for `dondoc run`.

Which prompt a number answers: the last message that offered choices in the chat, for four days,
until the conversation asks a question without choices and waits for its answer (a blocker's
reason, a percentage: then "2" is that answer), or until a one-shot choice (which task, which
moment, approve or deny) is spent by the chat moving on. A newer prompt replaces the last.

Not confirmed from the platform itself (sources: `docs/spec/zalo.md`): whether an idle
getUpdates answers HTTP 408 or 200 with `error_code` 408 (both read as idle); whether `timeout`
must be a string (sent as one); whether 429 says how long to wait (a `Retry-After` header or
Telegram-style `parameters.retry_after` is honoured if present); what Zalo answers when a user
has blocked the bot (400 and 404 are taken as refusals of the chat, 403 — documented as
"internal server error" — is retried); whether the 2,000-character limit counts UTF-16 units
(assumed, the stricter count); whether the webhook retries a failed delivery.
"""
