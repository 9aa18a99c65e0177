#!/usr/bin/env python3
"""A taskmill push unit in Python, on the standard library only (seed 002's execution unit).

Where examples/remote-worker.py claims its tasks, this unit registers an endpoint and the server
POSTs each task to it. The unit checks every delivery's signature (HMAC-SHA256 with the
pushSecret of its registration, over "t.body"), refuses a stale timestamp or a delivery id it has
seen, answers 202 and runs the task, reporting progress and the outcome through the worker API.
It heartbeats with its load and metadata, without listing its tasks: the server renews them all.
On SIGTERM or Ctrl-C it leaves (tasks still running come back when their leases run out).

    python3 examples/push-unit.py --server http://127.0.0.1:3000 --id worker-001

The protocol is described in docs/guides/remote-workers.md (Push units).
"""

import argparse
import hashlib
import hmac
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_MS = 5 * 60_000


def wordcount(task_input, report):
    text = task_input["text"]
    lines = text.splitlines() or [""]
    words = sum(len(line.split()) for line in lines)
    report("progress", {"percent": 100, "message": f"{len(lines)} lines"})
    return {"words": words, "lines": len(lines)}


HANDLERS = {"py.wordcount": wordcount}


class Unit:
    def __init__(self, server, token, unit_id, capacity):
        self.server = server.rstrip("/")
        self.token = token
        self.unit_id = unit_id
        self.capacity = capacity
        self.secret = None  # workerSecret: proves the calls for our id are ours
        self.push_secret = None  # signs the deliveries to us
        self.seen = {}  # delivery id -> when it came, for the replay check
        self.running = 0
        self.lock = threading.Lock()

    def say(self, line):
        print(line, flush=True)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.server + path, data=data, method=method)
        request.add_header("content-type", "application/json")
        if self.token:
            request.add_header("authorization", f"Bearer {self.token}")
        if self.secret:
            request.add_header("taskmill-worker-secret", self.secret)
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return json.loads(raw) if raw else None

    def register(self, endpoint):
        answer = self.call("POST", "/api/v1/execution-units/register", {
            "id": self.unit_id,
            "unitType": "py.wordcount",
            "unitName": f"push unit {self.unit_id}",
            "capacity": self.capacity,
            "endpoint": endpoint,
            "metadata": {"language": "python", "pid": os.getpid()},
        })
        self.secret = answer["workerSecret"]
        self.push_secret = answer["pushSecret"]
        self.heartbeat_s = answer["heartbeatMs"] / 1000
        self.say(f"registered {self.unit_id} at {endpoint}")

    def accept(self, header, body):
        """Why a delivery is refused, or None when it is the server's, fresh and new."""
        fields = dict(part.split("=", 1) for part in (header or "").split(",") if "=" in part)
        try:
            t = int(fields["t"])
            given = fields["v1"]
        except (KeyError, ValueError):
            return "malformed"
        expected = hmac.new(self.push_secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, given):
            return "bad signature"
        now = time.time() * 1000
        if abs(now - t) > TOLERANCE_MS:
            return "stale"
        delivery_id = json.loads(body)["deliveryId"]
        with self.lock:
            for old in [d for d, at in self.seen.items() if now - at > TOLERANCE_MS]:
                del self.seen[old]
            if delivery_id in self.seen:
                return "replayed"
            self.seen[delivery_id] = now
        return None

    def run(self, task):
        with self.lock:
            self.running += 1
        path = f"/api/v1/workers/{self.unit_id}/tasks/{task['id']}"

        def report(what, body):
            self.call("POST", f"{path}/{what}", {"leaseToken": task["leaseToken"], **body})

        try:
            output = HANDLERS[task["type"]](task["input"], report)
            report("complete", {"output": output})
            self.say(f"completed {task['id']}")
        except urllib.error.HTTPError as e:
            self.say(f"report for {task['id']} refused: {e.code}")
        except Exception as e:  # the handler's own failure
            try:
                report("fail", {"error": {"message": str(e) or type(e).__name__, "code": type(e).__name__}})
            except urllib.error.HTTPError:
                pass
        finally:
            with self.lock:
                self.running -= 1

    def heartbeats(self, stop):
        while not stop.wait(self.heartbeat_s):
            try:
                self.call("POST", f"/api/v1/execution-units/{self.unit_id}/heartbeat", {
                    "currentLoad": self.running,
                    "metadata": {"language": "python", "pid": os.getpid(), "load": os.getloadavg()[0]},
                })
            except (urllib.error.URLError, OSError) as e:
                self.say(f"heartbeat failed: {e}")


def handler_for(unit):
    class Deliveries(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            why = unit.accept(self.headers.get("taskmill-signature"), body)
            if why:
                unit.say(f"refused a delivery: {why}")
                self.send_response(401)
                self.end_headers()
                return
            # Answer first: the server only needs to know the unit took the task.
            self.send_response(202)
            self.end_headers()
            task = json.loads(body)["task"]
            threading.Thread(target=unit.run, args=(task,), daemon=True).start()

        def log_message(self, *args):
            pass

    return Deliveries


def main():
    parser = argparse.ArgumentParser(description="A taskmill push unit in Python.")
    parser.add_argument("--server", default=os.environ.get("TASKMILL_SERVER", "http://127.0.0.1:3000"))
    parser.add_argument("--id", default=f"py-push-{os.getpid()}")
    parser.add_argument("--capacity", type=int, default=2)
    parser.add_argument("--listen", default="127.0.0.1", help="address the deliveries come to")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()

    unit = Unit(args.server, os.environ.get("TASKMILL_TOKEN"), args.id, args.capacity)
    httpd = ThreadingHTTPServer((args.listen, args.port), handler_for(unit))
    endpoint = f"http://{args.listen}:{httpd.server_address[1]}/"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        unit.register(endpoint)
    except (urllib.error.URLError, OSError) as e:
        print(f"cannot register with {args.server}: {e}", file=sys.stderr)
        return 1
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=unit.heartbeats, args=(stop,), daemon=True).start()
    while not stop.wait(0.2):
        pass
    httpd.shutdown()
    try:
        unit.call("DELETE", f"/api/v1/workers/{unit.unit_id}")
    except (urllib.error.URLError, OSError) as e:
        unit.say(f"deregister failed: {e}")
    unit.say("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
