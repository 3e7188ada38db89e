"""Runs the Lambda function once under Valgrind's lackey, from exec through init and a few
invocations, and writes the lld --symbol-ordering-file that lays out what it ran in that order.

Called by startup-order.sh inside a private mount and network namespace, with ROOT holding the
function at /var/task/bootstrap, valgrind, the stand-in's CA at Amazon Linux's bundle path and
/etc/hosts naming dynamodb.test. Usage: startup_trace.py ROOT BINARY CERT KEY OUT

Why: in a micro-VM (Lambda's Firecracker, and this project's CI machine) every page a process
touches for the first time costs a trap to the hypervisor, and a page fault when it is not yet
mapped. The function touches about 800 functions before its first invocation, spread over
4 MB of code by the default link; laid out in the order they first run, they fill a few dozen
pages instead (docs/aws.md, "The cold start").
"""
import bisect
import http.server
import json
import os
import shutil
import socketserver
import ssl
import subprocess
import sys
import threading
import time
import uuid

API = {'apiId': 'abc', 'domainName': 'abc.execute-api.us-east-1.amazonaws.com',
       'stage': 'production'}


def request_context(route_key, event_type, connection, **extra):
    now = int(time.time() * 1000)
    request_id = uuid.uuid4().hex[:14] + '='
    return {'routeKey': route_key, 'eventType': event_type, 'extendedRequestId': request_id,
            'requestTime': time.strftime('%d/%b/%Y:%H:%M:%S +0000', time.gmtime()),
            'messageDirection': 'IN', 'stage': API['stage'], 'connectedAt': now - 5000,
            'requestTimeEpoch': now, 'requestId': request_id, 'domainName': API['domainName'],
            'connectionId': connection, 'apiId': API['apiId'],
            'identity': {'sourceIp': '203.0.113.7', 'userAgent': 'Mozilla/5.0'}, **extra}


def connect(connection):
    headers = {'Host': API['domainName'], 'Origin': 'https://videochat.example',
               'Sec-WebSocket-Version': '13', 'X-Forwarded-For': '203.0.113.7'}
    return {'headers': headers, 'multiValueHeaders': {k: [v] for k, v in headers.items()},
            'requestContext': request_context('$connect', 'CONNECT', connection),
            'isBase64Encoded': False}


def message(route_key, connection, body):
    return {'requestContext': request_context(route_key, 'MESSAGE', connection,
                                              messageId=uuid.uuid4().hex[:16]),
            'body': json.dumps(body), 'isBase64Encoded': False}


def disconnect(connection):
    return {'headers': {'Host': API['domainName']},
            'requestContext': request_context('$disconnect', 'DISCONNECT', connection,
                                              disconnectStatusCode=1001),
            'isBase64Encoded': False}


# What a cold start meets first: connections (the first invocation the chroot test times), then
# a call's routes.
def events():
    people = [uuid.uuid4().hex[:15] + '=' for _ in range(3)]
    out = [connect(p) for p in people]
    for p in people:
        out.append(message('joinRoom', p, {'action': 'joinRoom', 'roomId': 'order'}))
    out.append(message('sendMsgToRoom', people[0],
                       {'action': 'sendMsgToRoom', 'roomId': 'order', 'message': 'hello'}))
    out.append(message('leaveRoom', people[0], {'action': 'leaveRoom'}))
    out.append(disconnect(people[1]))
    return out


class RuntimeApi(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    queue = []
    drained = threading.Event()

    def do_GET(self):
        if not self.queue:
            RuntimeApi.drained.set()  # the function asks again: every invocation is done
            time.sleep(3600)
            return
        body = json.dumps(self.queue.pop(0)).encode()
        self.send_response(200)
        for name, value in (('Lambda-Runtime-Aws-Request-Id', str(uuid.uuid4())),
                            ('Lambda-Runtime-Deadline-Ms', str(int(time.time() * 1000) + 10000)),
                            ('Lambda-Runtime-Invoked-Function-Arn',
                             'arn:aws:lambda:us-east-1:123456789012:function:videochat'),
                            ('Content-Length', str(len(body)))):
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(202)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, *args):
        pass


class DynamoDb(http.server.BaseHTTPRequestHandler):
    """Answers every call with an empty success, over TLS, keeping connections alive."""
    protocol_version = 'HTTP/1.1'

    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(200)
        self.send_header('Content-Type', 'application/x-amz-json-1.0')
        self.send_header('Content-Length', '2')
        self.end_headers()
        self.wfile.write(b'{}')

    def log_message(self, *args):
        pass


def serve(handler, context=None):
    server = socketserver.ThreadingTCPServer(('127.0.0.1', 0), handler)
    server.daemon_threads = True
    if context:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def trace(root, cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    dynamodb_port = serve(DynamoDb, context)
    RuntimeApi.queue = events()
    runtime_port = serve(RuntimeApi)
    env = {'LAMBDA_TASK_ROOT': '/var/task', 'AWS_LAMBDA_RUNTIME_API': f'127.0.0.1:{runtime_port}',
           'AWS_REGION': 'us-east-1', 'AWS_LAMBDA_FUNCTION_NAME': 'videochat-signaling',
           'AWS_ACCESS_KEY_ID': 'ASIAEXAMPLEEXAMPLE00',
           'AWS_SECRET_ACCESS_KEY': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
           'AWS_SESSION_TOKEN': 'IQoJb3JpZ2luX2VjEXAMPLETOKEN', 'TZ': ':UTC',
           'VIDEOCHAT_TABLE': 'videochat', 'RESUME_SECRET': os.urandom(32).hex(),
           'VIDEOCHAT_ALLOWED_ORIGINS': 'https://videochat.example',
           'AWS_ENDPOINT_URL_DYNAMODB': f'https://dynamodb.test:{dynamodb_port}'}
    # The function's log goes to a file: a pipe nobody reads while it runs could fill and stall it.
    log_path = os.path.join(root, 'tmp/function.log')
    with open(log_path, 'w') as log_file:
        function = subprocess.Popen(
            [shutil.which('chroot') or '/usr/sbin/chroot', root, '/usr/bin/valgrind',
             '--tool=lackey', '--trace-mem=yes', '--log-file=/tmp/trace', '/var/task/bootstrap'],
            env=env, stdout=log_file, stderr=subprocess.DEVNULL)
    finished = RuntimeApi.drained.wait(300)
    function.kill()
    function.wait()
    if not finished:
        sys.exit('startup_trace: the function did not finish its invocations under valgrind')
    with open(log_path) as log_file:
        log = log_file.read()
    # Traced on the path it takes in Lambda: init opened its connection to DynamoDB.
    if '"storeConnectError"' in log or '"event":"init"' not in log:
        sys.exit('startup_trace: init did not connect to the stand-in:\n' + log[:2000])
    return os.path.join(root, 'tmp/trace')


def symbols(binary):
    """The binary's functions and data objects: (address, size, name), by address."""
    listed = subprocess.run(['nm', '-S', '--defined-only', binary], capture_output=True,
                            text=True, check=True).stdout.splitlines()
    out = []
    for line in listed:
        fields = line.split(maxsplit=3)
        if len(fields) == 4 and fields[2] in 'tTwWrRdDbBvV':
            out.append((int(fields[0], 16), int(fields[1], 16), fields[3].strip()))
    return sorted(out)


def first_use_order(binary, trace_file):
    """Every symbol the trace touched (code run, data read or written), in order of first use."""
    table = symbols(binary)
    starts = [entry[0] for entry in table]
    order, seen = [], set()
    with open(trace_file) as lines:
        for line in lines:
            fields = line.split()
            if len(fields) != 2 or fields[0] not in ('I', 'L', 'S', 'M'):
                continue
            address = int(fields[1].split(',')[0], 16)
            i = bisect.bisect_right(starts, address) - 1
            if i >= 0 and address < table[i][0] + max(table[i][1], 1):
                name = table[i][2]
                if name not in seen:
                    seen.add(name)
                    order.append(name)
    return order


def main():
    root, binary, cert, key, out = sys.argv[1:6]
    order = first_use_order(binary, trace(root, cert, key))
    with open(out, 'w') as file:
        file.write('\n'.join(order) + '\n')
    print(f'startup_trace: {len(order)} symbols in order of first use, written to {out}')


if __name__ == '__main__':
    main()
