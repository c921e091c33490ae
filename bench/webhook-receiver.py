#!/usr/bin/env python3
# The webhook receiver that configmap-reload calls in the benchmarks (bench/run.sh,
# bench/memory-limit.sh): on each POST it copies the volume's seq label into OUTPUT (a
# temporary file, then rename), the file the swap driver watches as it watches podmeta's
# output. Usage: webhook-receiver.py VOLUME OUTPUT PORT
import http.server, os, re, sys
volume, output, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        with open(os.path.join(volume, "labels")) as f:
            seq = re.search(r'^seq="([^"]*)"', f.read(), re.M)
        with open(output + ".tmp", "w") as f:
            f.write('{"seq": "%s"}\n' % (seq.group(1) if seq else ""))
        os.rename(output + ".tmp", output)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
