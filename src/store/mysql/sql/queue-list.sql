-- queue-list: no parameters. Queues with settings.
SELECT name, paused, concurrency FROM queues ORDER BY name
