#!/usr/bin/python3
"""Drives the /admin dashboard in a real headless Chromium, with JavaScript disabled in the page:
loads it, finds the failed event, clicks its Retry button with the mouse, and checks that the event
left the failed list. Writes a PNG screenshot of the page after the retry. Prints one JSON line;
exit status 0 when every check held.

    dashboard-check.py --chromium PATH --url http://127.0.0.1:PORT/admin --event ID --screenshot FILE
"""
import argparse, base64, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request

import websocket  # Debian python3-websocket

parser = argparse.ArgumentParser()
parser.add_argument("--chromium", required=True)
parser.add_argument("--url", required=True)
parser.add_argument("--event", required=True)
parser.add_argument("--screenshot", required=True)
args = parser.parse_args()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
profile = tempfile.mkdtemp(prefix="cf-chromium-")
browser = subprocess.Popen(
    [args.chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
     f"--remote-debugging-port={port}", "--remote-debugging-address=127.0.0.1", f"--user-data-dir={profile}",
     "--window-size=1280,900", "about:blank"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
result = {"checks": {}}
try:
    deadline = time.time() + 30
    while True:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
            target = json.load(urllib.request.urlopen(request, timeout=2))
            break
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)
    ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=30)
    next_id = [0]
    events = []

    def send(method, **params):
        next_id[0] += 1
        ws.send(json.dumps({"id": next_id[0], "method": method, "params": params}))
        while True:
            message = json.loads(ws.recv())
            if message.get("id") == next_id[0]:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            events.append(message)

    def wait_for(event_name, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            for index, message in enumerate(events):
                if message.get("method") == event_name:
                    del events[: index + 1]
                    return message
            ws.settimeout(max(0.1, end - time.time()))
            try:
                events.append(json.loads(ws.recv()))
            except websocket.WebSocketTimeoutException:
                break
        raise RuntimeError(f"timed out waiting for {event_name}")

    def query(selector):
        root = send("DOM.getDocument", depth=0)["root"]["nodeId"]
        return send("DOM.querySelector", nodeId=root, selector=selector).get("nodeId", 0)

    def text(selector):
        node = query(selector)
        if not node:
            return None
        html = send("DOM.getOuterHTML", nodeId=node)["outerHTML"]
        return html[html.index(">") + 1 : html.rindex("<")]

    send("Page.enable")
    send("DOM.enable")
    send("Emulation.setScriptExecutionDisabled", value=True)
    events.clear()
    send("Page.navigate", url=args.url)
    wait_for("Page.loadEventFired")
    row = f'tr.failed-event[data-id="{args.event}"]'
    result["checks"]["failedEventListed"] = query(row) != 0
    result["checks"]["failedCountBefore"] = text("#outbox-failed")

    button = query(f'[id="retry-{args.event}"]')
    # The button may be below the fold: scroll to it as a person would, then click where it is.
    send("DOM.scrollIntoViewIfNeeded", nodeId=button)
    quad = send("DOM.getBoxModel", nodeId=button)["model"]["content"]
    x, y = (quad[0] + quad[4]) / 2, (quad[1] + quad[5]) / 2
    events.clear()
    for kind in ("mousePressed", "mouseReleased"):
        send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)
    wait_for("Page.loadEventFired")
    result["checks"]["failedEventGone"] = query(row) == 0 and query("#failed-outbox") != 0
    result["checks"]["failedCountAfter"] = text("#outbox-failed")
    history = send("Page.getNavigationHistory")
    result["checks"]["backOnPage"] = history["entries"][history["currentIndex"]]["url"].endswith("/admin")
    shot = send("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
    os.makedirs(os.path.dirname(args.screenshot), exist_ok=True)
    with open(args.screenshot, "wb") as file:
        file.write(base64.b64decode(shot))
    result["screenshot"] = args.screenshot
    ws.close()
except Exception as error:  # report, do not trace back: the Swift test prints this line
    result["error"] = f"{type(error).__name__}: {error}"
finally:
    browser.terminate()
    try:
        browser.wait(timeout=10)
    except subprocess.TimeoutExpired:
        browser.kill()
    shutil.rmtree(profile, ignore_errors=True)

print(json.dumps(result))
checks = result["checks"]
ok = ("error" not in result and checks.get("failedEventListed") and checks.get("failedEventGone") and checks.get("backOnPage")
      and checks.get("failedCountBefore") == "1" and checks.get("failedCountAfter") == "0")
sys.exit(0 if ok else 1)
