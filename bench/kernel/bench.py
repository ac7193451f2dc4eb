"""Time the gonbml kernel with the real Jupyter client (driven by main.go)."""
import json, queue, statistics, sys, time
from jupyter_client.manager import start_new_kernel

runs = int(sys.argv[1])
FIRST = '''import (
	"github.com/gonbml/gonbml/stdlib/sparse"
	"gonum.org/v1/gonum/mat"
)

%%
m, _ := sparse.FromTriplets(2, 2, []sparse.Triplet{{0, 0, 1}})
fmt.Println(mat.Sum(m))'''
TRIVIAL = '%%\nfmt.Println("warm")'


def run(kc, code):
    msg_id = kc.execute(code)
    t0 = time.perf_counter()
    ok = True
    while True:
        m = kc.get_iopub_msg(timeout=300)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "error":
            ok = False
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            if not ok:
                raise SystemExit("cell failed: " + code)
            return time.perf_counter() - t0


start, first, warm = [], [], []
for _ in range(runs):
    t0 = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="gonbml", startup_timeout=120)
    start.append(time.perf_counter() - t0)
    try:
        first.append(run(kc, FIRST))
        for _ in range(3):
            warm.append(run(kc, TRIVIAL))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
print(json.dumps({
    "runs": runs,
    "kernel_start_s": round(statistics.median(start), 3),
    "first_stdlib_cell_s": round(statistics.median(first), 3),
    "trivial_warm_cell_s": round(statistics.median(warm), 3),
}))
