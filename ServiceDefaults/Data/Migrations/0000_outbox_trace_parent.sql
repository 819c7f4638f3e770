-- The W3C traceparent of the request or consumer that wrote the event, so a publish by the sweep (after a crash, a failed
-- publish, another replica) still continues that trace. Null when nothing was traced.
ALTER TABLE outbox_messages ADD COLUMN trace_parent text;
