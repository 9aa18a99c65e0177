#!/usr/bin/env python3
"""A taskmill worker in Python, on the standard library only.

It registers with a running `taskmill serve`, claims tasks of the types it has handlers for
(long poll), heartbeats to keep their leases, reports progress and log lines, and completes or
fails each task. On SIGTERM or Ctrl-C it stops claiming, gives unfinished tasks back and leaves.

    python3 examples/remote-worker.py --server http://127.0.0.1:3000
    TASKMILL_TOKEN=... python3 examples/remote-worker.py --server https://tasks.example.com

The protocol is described in docs/guides/remote-workers.md. Add a handler: a function (input, ctx)
returning a JSON-serialisable output, registered in HANDLERS under its task type's name (the
type must be defined on the server with executor: 'remote').
"""

import argparse
import json
import os
import signal
import socket
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request


class Stopped(Exception):
    """Raised inside a handler's ctx calls once the task must stop (cancel, lost lease)."""


class NonRetryable(Exception):
    """Fail the task now, whatever its retry policy says."""


# ---- handlers: one per task type -------------------------------------------------------------


def wordcount(task_input, ctx):
    text = task_input["text"]
    lines = text.splitlines() or [""]
    words = 0
    for i, line in enumerate(lines):
        ctx.check()
        words += len(line.split())
        ctx.progress(100 * (i + 1) / len(lines), f"line {i + 1} of {len(lines)}")
    ctx.log("info", f"counted {words} words in {len(lines)} lines")
    return {"words": words, "lines": len(lines)}


def sleep(task_input, ctx):
    seconds = float(task_input["seconds"])
    ctx.log("info", f"sleeping {seconds} s")
    steps = max(1, int(seconds * 10))
    for i in range(steps):
        ctx.check()
        time.sleep(seconds / steps)
        if i % 10 == 9:
            ctx.progress(100 * (i + 1) / steps)
    return {"slept": seconds}


HANDLERS = {"py.wordcount": wordcount, "py.sleep": sleep}


# ---- the protocol ----------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code


class Api:
    def __init__(self, server, token):
        self.server = server.rstrip("/")
        self.token = token
        self.worker_secret = None  # from the registration: proves the calls for its id are ours

    def call(self, method, path, body=None, timeout=30.0):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.server + path, data=data, method=method)
        # Every call but a GET says JSON, DELETE too: the server refuses other changes.
        if method != "GET":
            request.add_header("content-type", "application/json")
        if self.token:
            request.add_header("authorization", f"Bearer {self.token}")
        if self.worker_secret:
            request.add_header("taskmill-worker-secret", self.worker_secret)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read()
                return json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            try:
                error = json.loads(e.read())["error"]
            except Exception:
                error = {"code": "HTTP_ERROR", "message": e.reason}
            raise ApiError(e.code, error.get("code"), error.get("message")) from None


class Context:
    """What a handler gets beside its input: progress, log lines, and whether to stop."""

    def __init__(self, worker, task):
        self.worker = worker
        self.task = task
        self.stop = threading.Event()
        self.why = None

    def check(self):
        if self.stop.is_set():
            raise Stopped(self.why or "stopped")

    def progress(self, percent, message=None):
        self.worker.report(self, "progress", {"percent": min(100, max(0, percent)), "message": message})

    def log(self, level, message):
        self.worker.report(self, "logs", {"lines": [{"level": level, "message": str(message)}]})


class Worker:
    def __init__(self, api, name, concurrency, grace):
        self.api = api
        self.name = name
        self.concurrency = concurrency
        self.grace = grace
        self.running = {}  # task id -> Context
        self.lock = threading.Lock()
        self.free = threading.Semaphore(concurrency)
        self.stopping = threading.Event()
        self.worker_id = None

    def say(self, line):
        print(line, flush=True)

    def register(self):
        answer = self.api.call("POST", "/api/v1/workers", {
            "name": self.name,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "concurrency": self.concurrency,
            "types": sorted(HANDLERS),
            "version": "remote-worker.py 1",
        })
        self.worker_id = answer["workerId"]
        self.api.worker_secret = answer["workerSecret"]
        self.heartbeat_s = answer["heartbeatMs"] / 1000
        self.max_wait_ms = answer["maxWaitMs"]
        self.say(f"registered {self.worker_id} for {', '.join(sorted(HANDLERS))}")

    def path(self, rest=""):
        return f"/api/v1/workers/{self.worker_id}{rest}"

    def report(self, ctx, what, body):
        """A write for a running task; a lost lease or a cancel stops the handler."""
        ctx.check()
        try:
            self.api.call("POST", self.path(f"/tasks/{ctx.task['id']}/{what}"),
                          {"leaseToken": ctx.task["leaseToken"], **body})
        except ApiError as e:
            if e.code in ("LEASE_LOST", "TASK_NOT_FOUND"):
                ctx.why = "lease lost"
                ctx.stop.set()
                raise Stopped(ctx.why) from None
            raise

    def heartbeats(self):
        # Beats on through a shutdown: the tasks finishing in the grace still need their leases.
        while True:
            time.sleep(self.heartbeat_s)
            if self.stopping.is_set() and not self.running:
                return
            with self.lock:
                held = [{"id": c.task["id"], "leaseToken": c.task["leaseToken"]} for c in self.running.values()]
            try:
                answer = self.api.call("POST", self.path("/heartbeat"), {"load": len(held), "tasks": held})
            except (ApiError, OSError) as e:
                self.say(f"heartbeat failed: {e}")
                continue
            with self.lock:
                for task_id, why in [(i, "lease lost") for i in answer["lost"]] + [(i, "cancelled") for i in answer["cancel"]]:
                    ctx = self.running.get(task_id)
                    if ctx:
                        ctx.why = why
                        ctx.stop.set()

    def run_task(self, task):
        ctx = Context(self, task)
        with self.lock:
            self.running[task["id"]] = ctx
        self.say(f"claimed {task['id']} {task['type']} attempt {task['attempt']}")
        try:
            output = HANDLERS[task["type"]](task["input"], ctx)
            ctx.check()
            self.finish(ctx, "complete", {"output": output})
        except Stopped:
            if ctx.why == "cancelled":
                self.finish(ctx, "fail", {"error": {"message": "stopped: cancelled"}})
            elif ctx.why == "shutdown":
                self.finish(ctx, "release", {})
            else:
                self.say(f"dropped {task['id']}: {ctx.why}")
        except Exception as e:  # the handler's own failure
            self.finish(ctx, "fail", {"error": {
                "message": str(e) or type(e).__name__,
                "code": type(e).__name__,
                "retryable": not isinstance(e, NonRetryable),
                "stack": traceback.format_exc(),
            }})
        finally:
            with self.lock:
                self.running.pop(task["id"], None)
            self.free.release()

    def finish(self, ctx, what, body):
        try:
            answer = self.api.call("POST", self.path(f"/tasks/{ctx.task['id']}/{what}"),
                                   {"leaseToken": ctx.task["leaseToken"], **body})
            self.say(f"{what} {ctx.task['id']} -> {answer['status']}")
        except ApiError as e:
            self.say(f"{what} {ctx.task['id']} refused: {e}")

    def claims(self):
        while not self.stopping.is_set():
            self.free.acquire()
            free = 1
            while self.free.acquire(blocking=False):
                free += 1
            if self.stopping.is_set():
                break
            wait_ms = min(self.max_wait_ms, 10_000)
            try:
                answer = self.api.call("POST", self.path("/claim"),
                                       {"limit": free, "waitMs": wait_ms}, timeout=wait_ms / 1000 + 15)
                tasks = answer["tasks"]
            except ApiError as e:
                if e.code in ("WORKER_NOT_FOUND", "WORKER_SECRET_INVALID"):
                    self.say("the server forgot this worker; registering again")
                    self.register()
                else:
                    self.say(f"claim failed: {e}")
                    time.sleep(1)
                tasks = []
            except OSError as e:
                self.say(f"claim failed: {e}")
                time.sleep(1)
                tasks = []
            for _ in range(free - len(tasks)):
                self.free.release()
            if self.stopping.is_set():
                for task in tasks:  # claimed as the worker stopped: straight back
                    self.finish(Context(self, task), "release", {})
                break
            for task in tasks:
                threading.Thread(target=self.run_task, args=(task,), daemon=True).start()

    def shutdown(self):
        """Stop claiming, let running tasks finish within the grace, give the rest back."""
        self.stopping.set()
        self.free.release()  # wakes a claim loop waiting for a free slot
        deadline = time.monotonic() + self.grace
        while self.running and time.monotonic() < deadline:
            time.sleep(0.05)
        with self.lock:
            for ctx in self.running.values():
                ctx.why = "shutdown"
                ctx.stop.set()
        while self.running and time.monotonic() < deadline + 5:
            time.sleep(0.05)
        try:
            self.api.call("DELETE", self.path())
        except (ApiError, OSError) as e:
            self.say(f"deregister failed: {e}")
        self.say("stopped")


def main():
    parser = argparse.ArgumentParser(description="A taskmill remote worker in Python.")
    parser.add_argument("--server", default=os.environ.get("TASKMILL_SERVER", "http://127.0.0.1:3000"))
    parser.add_argument("--name", default=f"python@{socket.gethostname()}:{os.getpid()}")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--grace", type=float, default=10.0, help="seconds running tasks get at shutdown")
    args = parser.parse_args()

    worker = Worker(Api(args.server, os.environ.get("TASKMILL_TOKEN")), args.name, args.concurrency, args.grace)
    try:
        worker.register()
    except (ApiError, OSError) as e:
        print(f"cannot register with {args.server}: {e}", file=sys.stderr)
        return 1
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=worker.heartbeats, daemon=True).start()
    threading.Thread(target=worker.claims, daemon=True).start()
    while not stop.wait(0.2):
        pass
    worker.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
