#!/usr/bin/env python3
"""The kill -9 drill's client and killer (run by benchmarks/kill9.sh).

Residents' checkouts run on 8 threads against one hot product while the server is killed
with SIGKILL every couple of seconds and started again. A request that gets no answer (the
server died under it) is sent again with the same Idempotency-Key until it gets one, as a
real app would. At the end every order the client saw as 201 must be in the database with
its stock held, and no other order may exist.

  kill9.py BASE_URL SID PRODUCT_ID TOMORROW ROUNDS START_CMD...
Prints the keys and order ids it saw to stdout as JSON on its last line.
"""
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

base, sid, product, tomorrow, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
start_cmd = sys.argv[6:]

body = json.dumps({
    "store_id": 1,
    "items": [{"product_id": product, "qty": 1}],
    "fulfillment": {"type": "pickup", "pickup_date": tomorrow, "window": "17:00-18:00"},
    "payment": "on_pickup",
}).encode()

ok = {}            # key -> order id (201 seen)
refused = {}       # key -> status (a definitive 4xx)
lock = threading.Lock()
stop = threading.Event()
retries = [0]


def place(key):
    """Sends one order until it gets a definitive answer (any HTTP status)."""
    while True:
        req = urllib.request.Request(base + "/api/v1/orders", data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Requested-With": "linli",
            "Cookie": "linli_sid=" + sid, "Idempotency-Key": key})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, None
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            # No answer: the server died under this request. Same key again once it is back.
            with lock:
                retries[0] += 1
            time.sleep(0.2)


def worker():
    while not stop.is_set():
        key = str(uuid.uuid4())
        status, order = place(key)
        with lock:
            if status == 201:
                ok[key] = order["id"]
            else:
                refused[key] = status


def wait_healthy(deadline=60):
    end = time.time() + deadline
    while time.time() < end:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return True
        except Exception:
            time.sleep(0.1)
    return False


server = subprocess.Popen(start_cmd)
assert wait_healthy(), "the server did not start"
threads = [threading.Thread(target=worker, daemon=True) for _ in range(8)]
for t in threads:
    t.start()
kills = 0
for _ in range(rounds):
    time.sleep(random.uniform(1.0, 2.5))
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    kills += 1
    server = subprocess.Popen(start_cmd)
    assert wait_healthy(), "the server did not come back after kill -9"
time.sleep(1.0)
stop.set()
for t in threads:
    t.join(timeout=60)
server.send_signal(signal.SIGTERM)
server.wait(timeout=30)
print(json.dumps({"kills": kills, "created": len(ok), "refused": len(refused), "resent_after_no_answer": retries[0],
                  "refused_statuses": sorted(set(refused.values())), "order_ids": sorted(ok.values())}))
