#!/usr/bin/env python3
"""A stand-in for an app's reload endpoint: `reload-receiver.py LOG PORTFILE`.

Answers the first request with 503 (as an app busy starting would), then 204, and appends
one line per accepted request to LOG: the revision and the changed keys from the body
podmeta sends. Writes its port to PORTFILE once it listens.
"""
import http.server
import json
import sys

log_path, port_path = sys.argv[1], sys.argv[2]
seen = 0


class Reload(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        seen += 1
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if seen == 1:
            self.send_response(503)
            self.end_headers()
            return
        keys = " ".join("%s/%s" % (c["section"], c["key"]) for c in body["changes"])
        with open(log_path, "a") as log:
            log.write("webhook reload at revision %d (attempt %d): %s\n" % (body["revision"], seen, keys))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Reload)
with open(port_path, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
