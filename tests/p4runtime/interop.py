#!/usr/bin/python3
"""interop.py - the P4Runtime server driven by the standard stack: Python
stubs generated from the project's own .proto files by Debian's protoc and
grpc_python_plugin, python3-grpcio as the client.  Shows that the wire
format (field numbers, method paths, the grpc-status-details-bin trailer)
is the standard one.  Exits 77 when the Python gRPC stack is missing.
Usage: interop.py PROTO_DIR SERVE RT.P4"""
import os
import queue
import shutil
import subprocess
import sys
import tempfile

try:
    import grpc
    from google.protobuf import any_pb2  # noqa: F401
except ImportError:
    print("python3-grpcio / python3-protobuf missing: skipped")
    sys.exit(77)
PLUGIN = shutil.which("grpc_python_plugin")
if not PLUGIN:
    print("grpc_python_plugin missing: skipped")
    sys.exit(77)

proto_dir, serve, rt_p4 = sys.argv[1:4]
tmp = tempfile.mkdtemp(prefix="p4rt-interop-")
failures = 0


def check(cond, what):
    global failures
    if not cond:
        print("FAIL:", what)
        failures += 1


protos = ["p4/v1/p4runtime.proto", "p4/v1/p4data.proto", "p4/config/v1/p4info.proto",
          "p4/config/v1/p4types.proto", "google/rpc/status.proto", "google/rpc/code.proto"]
subprocess.run(["protoc", "-I", proto_dir, "-I", "/usr/include", "--python_out", tmp,
                "--grpc_python_out", tmp, "--plugin=protoc-gen-grpc_python=" + PLUGIN] + protos,
               check=True)
sys.path.insert(0, tmp)
from p4.v1 import p4runtime_pb2 as p4r  # noqa: E402
from p4.v1 import p4runtime_pb2_grpc as p4r_grpc  # noqa: E402
from p4.config.v1 import p4info_pb2  # noqa: E402
from google.rpc import status_pb2  # noqa: E402

srv = subprocess.Popen([serve, rt_p4, tmp], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
port = int(srv.stdout.readline())
chan = grpc.insecure_channel("127.0.0.1:%d" % port)
stub = p4r_grpc.P4RuntimeStub(chan)


class Stream:
    """One StreamChannel: requests go in through a queue."""

    def __init__(self):
        self.q = queue.Queue()
        self.it = stub.StreamChannel(iter(self.q.get, None))

    def arbitrate(self, low):
        req = p4r.StreamMessageRequest()
        req.arbitration.device_id = 1
        req.arbitration.election_id.low = low
        self.q.put(req)
        return next(self.it)

    def close(self):
        self.q.put(None)
        self.it.cancel()


caps = stub.Capabilities(p4r.CapabilitiesRequest())
check(caps.p4runtime_api_version == "1.5.0", "Capabilities: %r" % caps.p4runtime_api_version)

a = Stream()
resp = a.arbitrate(10)
check(resp.arbitration.status.code == 0 and resp.arbitration.election_id.low == 10,
      "first client is primary: %s" % resp)

info = p4info_pb2.P4Info()
with open(os.path.join(tmp, "rt.p4info.binpb"), "rb") as f:
    info.ParseFromString(f.read())
with open(os.path.join(tmp, "rt.json"), "rb") as f:
    device_config = f.read()
req = p4r.SetForwardingPipelineConfigRequest(device_id=1, action=p4r.SetForwardingPipelineConfigRequest.VERIFY_AND_COMMIT)
req.election_id.low = 10
req.config.p4info.CopyFrom(info)
req.config.p4_device_config = device_config
req.config.cookie.cookie = 1234
stub.SetForwardingPipelineConfig(req)
got = stub.GetForwardingPipelineConfig(p4r.GetForwardingPipelineConfigRequest(device_id=1))
check(got.config.cookie.cookie == 1234 and got.config.p4info == info, "pipeline read back")

table = next(t for t in info.tables if t.preamble.name == "I.routes")
action = next(x for x in info.actions if x.preamble.name == "I.set_port")


def route(dst, plen, port):
    e = p4r.TableEntry(table_id=table.preamble.id)
    m = e.match.add(field_id=table.match_fields[0].id)
    m.lpm.value = dst
    m.lpm.prefix_len = plen
    e.action.action.action_id = action.preamble.id
    e.action.action.params.add(param_id=action.params[0].id, value=port)
    e.action.action.params.add(param_id=action.params[1].id, value=b"\x00\x00\x00\x00\x00\x01")
    return e


def write(*updates, election=10):
    w = p4r.WriteRequest(device_id=1)
    w.election_id.low = election
    for typ, entry in updates:
        u = w.updates.add(type=typ)
        u.entity.table_entry.CopyFrom(entry)
    return stub.Write(w)


write((p4r.Update.INSERT, route(b"\x0a\x00\x01\x00", 24, b"\x00\x03")))
rd = p4r.ReadRequest(device_id=1)
rd.entities.add().table_entry.table_id = table.preamble.id
entries = [e.table_entry for r in stub.Read(rd) for e in r.entities]
check(len(entries) == 1, "one entry read back")
if entries:
    e = entries[0]
    # sent with a leading zero and a non-canonical MAC: read back canonical
    check(e.match[0].lpm.value == b"\x0a\x00\x01\x00" and e.match[0].lpm.prefix_len == 24,
          "match read back: %s" % e.match)
    check([p.value for p in e.action.action.params] == [b"\x03", b"\x01"],
          "canonical params: %s" % e.action.action.params)

# a batch that fails in part: per-update p4.v1.Error in the trailer
try:
    write((p4r.Update.INSERT, route(b"\x0b\x00\x00\x00", 8, b"\x01")),
          (p4r.Update.INSERT, route(b"\x0a\x00\x01\x00", 24, b"\x01")),
          (p4r.Update.DELETE, route(b"\x0c\x00\x00\x00", 8, b"\x01")))
    check(False, "the batch should fail")
except grpc.RpcError as err:
    check(err.code() == grpc.StatusCode.UNKNOWN, "batch status %s" % err.code())
    md = dict(err.trailing_metadata() or ())
    st = status_pb2.Status()
    st.ParseFromString(md.get("grpc-status-details-bin", b""))
    codes = []
    for d in st.details:
        pe = p4r.Error()
        check(d.Unpack(pe), "detail is a p4.v1.Error: %s" % d.type_url)
        codes.append(pe.canonical_code)
    check(codes == [0, 6, 5], "per-update codes %s" % codes)

# a backup cannot write; the primary's departure is announced
b = Stream()
resp = b.arbitrate(5)
check(resp.arbitration.status.code == 6, "second client is a backup: %s" % resp)
try:
    write((p4r.Update.INSERT, route(b"\x0d\x00\x00\x00", 8, b"\x01")), election=5)
    check(False, "a backup write should fail")
except grpc.RpcError as err:
    check(err.code() == grpc.StatusCode.PERMISSION_DENIED, "backup write: %s" % err.code())
a.close()
resp = next(b.it)
check(resp.arbitration.status.code == 5 and resp.arbitration.election_id.low == 10,
      "no primary after the primary left: %s" % resp)
resp = b.arbitrate(11)
check(resp.arbitration.status.code == 0, "the backup takes over: %s" % resp)

# RECONCILE_AND_COMMIT keeps the entries
req.action = p4r.SetForwardingPipelineConfigRequest.RECONCILE_AND_COMMIT
req.election_id.low = 11
req.config.cookie.cookie = 99
stub.SetForwardingPipelineConfig(req)
entries = [e.table_entry for r in stub.Read(rd) for e in r.entities]
check(len(entries) == 2, "entries kept by RECONCILE_AND_COMMIT: %d" % len(entries))


def varint(v):
    out = b""
    while True:
        out += bytes([(v & 0x7f) | (0x80 if v > 0x7f else 0)])
        v >>= 7
        if not v:
            return out


# a role whose configuration (stratum.P4RoleConfig, packed by hand) gives it
# routes alone
r = Stream()
rreq = p4r.StreamMessageRequest()
rreq.arbitration.device_id = 1
rreq.arbitration.election_id.low = 1
rreq.arbitration.role.name = "routing"
rreq.arbitration.role.config.type_url = "type.googleapis.com/stratum.P4RoleConfig"
rreq.arbitration.role.config.value = b"\x08" + varint(table.preamble.id)
r.q.put(rreq)
resp = next(r.it)
check(resp.arbitration.status.code == 0 and resp.arbitration.role.name == "routing",
      "primary of role 'routing': %s" % resp)
w = p4r.WriteRequest(device_id=1, role="routing")
w.election_id.low = 1
w.updates.add(type=p4r.Update.INSERT).entity.table_entry.CopyFrom(
    route(b"\x0e\x00\x00\x00", 8, b"\x01"))
stub.Write(w)
try:
    write((p4r.Update.INSERT, route(b"\x0f\x00\x00\x00", 8, b"\x01")), election=11)
    check(False, "the default role writes another role's table")
except grpc.RpcError as err:
    md = dict(err.trailing_metadata() or ())
    st = status_pb2.Status()
    st.ParseFromString(md.get("grpc-status-details-bin", b""))
    pe = p4r.Error()
    check(len(st.details) == 1 and st.details[0].Unpack(pe) and pe.canonical_code == 7,
          "PERMISSION_DENIED for the other role's table: %s" % st)
r.close()
b.close()

chan.close()
srv.stdin.close()
check(srv.wait(timeout=30) == 0, "server exit status")
shutil.rmtree(tmp)
print("%d failure(s)" % failures)
sys.exit(1 if failures else 0)
