package nn

import (
	"sync"
)

// Register-tile and cache-block sizes of the matrix product. The micro-kernel
// computes a gemmMR×gemmNR tile of C from packed slivers of A and B; kc×nc
// panels of B and mc×kc blocks of A are packed so that the kernel streams
// through contiguous memory (the layout popularised by GotoBLAS/BLIS).
const (
	gemmKC    = 256
	gemmMC    = 96 // a multiple of every kernel's row count
	gemmNC    = 4096
	gemmMaxMR = 8
	gemmMaxNR = 32
)

// gemmMR×gemmNR is the register tile of the micro-kernel in use: 8×32 with
// AVX-512, 6×16 with AVX2 (and for the portable Go kernel).
var gemmMR, gemmNR = kernelShape()

// gemmOp is one product C = op(A)·op(B), or C += op(A)·op(B) with
// accumulate, on row-major float32 slices. op(A) is m×k and op(B) is k×n;
// with transA, A is stored k×m (so op(A) = Aᵀ), likewise B. lda, ldb and ldc
// are the row strides of the stored matrices. workers > 1 splits the
// columns of C between goroutines.
type gemmOp struct {
	transA, transB bool
	m, n, k        int
	a              []float32
	lda            int
	b              []float32
	ldb            int
	c              []float32
	ldc            int
	accumulate     bool
	workers        int
}

// gemm computes op. It panics if a slice is too short for the given sizes:
// that is a programmer error, not a data error.
func gemm(op gemmOp) {
	m, n, k, c, ldc := op.m, op.n, op.k, op.c, op.ldc
	if m == 0 || n == 0 {
		return
	}
	op.check()
	if !op.accumulate {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
	}
	if k == 0 {
		return
	}
	// Splitting pays off only when each worker gets a few register tiles.
	if workers := op.workers; workers > 1 && n >= 2*gemmNR && int64(m)*int64(n)*int64(k) >= 1<<18 {
		chunk := (n + workers - 1) / workers
		chunk = (chunk + gemmNR - 1) / gemmNR * gemmNR
		var wg sync.WaitGroup
		for j0 := 0; j0 < n; j0 += chunk {
			j1 := min(j0+chunk, n)
			wg.Add(1)
			go func(j0, j1 int) {
				defer wg.Done()
				gemmSerial(op, j0, j1)
			}(j0, j1)
		}
		wg.Wait()
		return
	}
	gemmSerial(op, 0, n)
}

func (op gemmOp) check() {
	ar, ac := op.m, op.k
	if op.transA {
		ar, ac = op.k, op.m
	}
	br, bc := op.k, op.n
	if op.transB {
		br, bc = op.n, op.k
	}
	if op.m < 0 || op.n < 0 || op.k < 0 {
		panic("nn: negative gemm dimension")
	}
	if op.lda < ac || op.ldb < bc || op.ldc < op.n {
		panic("nn: gemm stride smaller than row length")
	}
	if ar > 0 && ac > 0 && len(op.a) < (ar-1)*op.lda+ac {
		panic("nn: gemm A too short")
	}
	if br > 0 && bc > 0 && len(op.b) < (br-1)*op.ldb+bc {
		panic("nn: gemm B too short")
	}
	if len(op.c) < (op.m-1)*op.ldc+op.n {
		panic("nn: gemm C too short")
	}
}

// gemmDirectB enables reading an untransposed B in place (tests switch it
// off to exercise the packed path).
var gemmDirectB = true

type gemmBuffers struct {
	a, b []float32
	tile [gemmMaxMR * gemmMaxNR]float32
}

var gemmPool = sync.Pool{New: func() any {
	return &gemmBuffers{
		a: make([]float32, gemmMC*gemmKC),
		b: make([]float32, gemmKC*(gemmNC+gemmMaxNR)),
	}
}}

// gemmSerial accumulates columns [j0, j1) of C += op(A)·op(B) on one goroutine.
func gemmSerial(op gemmOp, j0, j1 int) {
	transA, transB, m, k := op.transA, op.transB, op.m, op.k
	a, lda, b, ldb, c, ldc := op.a, op.lda, op.b, op.ldb, op.c, op.ldc
	buf := gemmPool.Get().(*gemmBuffers)
	defer gemmPool.Put(buf)
	for jc := j0; jc < j1; jc += gemmNC {
		nc := min(gemmNC, j1-jc)
		for pc := 0; pc < k; pc += gemmKC {
			kc := min(gemmKC, k-pc)
			// An untransposed B is read in place, gemmNR columns at a time,
			// which saves copying the whole panel; only a ragged last
			// sliver is packed (zero-padded). A transposed B is packed.
			direct := 0
			var bsrc []float32
			if !transB && gemmDirectB {
				direct = nc / gemmNR * gemmNR
				bsrc = b[pc*ldb+jc:]
				if direct < nc {
					packB(buf.b, false, b, ldb, pc, kc, jc+direct, nc-direct)
				}
			} else {
				packB(buf.b, transB, b, ldb, pc, kc, jc, nc)
			}
			for ic := 0; ic < m; ic += gemmMC {
				mc := min(gemmMC, m-ic)
				packA(buf.a, transA, a, lda, ic, mc, pc, kc)
				macroKernel(buf, mc, nc, kc, c[ic*ldc+jc:], ldc, bsrc, ldb, direct)
			}
		}
	}
}

// packA copies the mc×kc block of op(A) starting at (i0, p0) into slivers of
// gemmMR rows: sliver s holds, for each p, the gemmMR values A[i0+s*MR+i, p0+p].
// Rows past mc are zero.
func packA(dst []float32, trans bool, a []float32, lda, i0, mc, p0, kc int) {
	for s := 0; s*gemmMR < mc; s++ {
		rows := min(gemmMR, mc-s*gemmMR)
		out := dst[s*gemmMR*kc : (s+1)*gemmMR*kc]
		ib := i0 + s*gemmMR
		if trans {
			// op(A)[i, p] = a[p*lda + i]: each p reads rows consecutive values.
			for p := 0; p < kc; p++ {
				src := a[(p0+p)*lda+ib:]
				o := out[p*gemmMR : p*gemmMR+gemmMR]
				if rows == gemmMR {
					copy(o, src[:gemmMR])
					continue
				}
				for i := 0; i < gemmMR; i++ {
					if i < rows {
						o[i] = src[i]
					} else {
						o[i] = 0
					}
				}
			}
			continue
		}
		for i := 0; i < gemmMR; i++ {
			if i >= rows {
				for p := 0; p < kc; p++ {
					out[p*gemmMR+i] = 0
				}
				continue
			}
			src := a[(ib+i)*lda+p0 : (ib+i)*lda+p0+kc]
			for p, v := range src {
				out[p*gemmMR+i] = v
			}
		}
	}
}

// packB copies the kc×nc panel of op(B) starting at (p0, j0) into slivers of
// gemmNR columns: sliver s holds, for each p, B[p0+p, j0+s*NR+j]. Columns past
// nc are zero.
func packB(dst []float32, trans bool, b []float32, ldb, p0, kc, j0, nc int) {
	for s := 0; s*gemmNR < nc; s++ {
		cols := min(gemmNR, nc-s*gemmNR)
		out := dst[s*gemmNR*kc : (s+1)*gemmNR*kc]
		jb := j0 + s*gemmNR
		if trans {
			// op(B)[p, j] = b[j*ldb + p]: read 4 stored rows contiguously
			// and write 4 adjacent values per packed row.
			j := 0
			for ; j+4 <= cols; j += 4 {
				r0 := b[(jb+j)*ldb+p0 : (jb+j)*ldb+p0+kc]
				r1 := b[(jb+j+1)*ldb+p0 : (jb+j+1)*ldb+p0+kc]
				r2 := b[(jb+j+2)*ldb+p0 : (jb+j+2)*ldb+p0+kc]
				r3 := b[(jb+j+3)*ldb+p0 : (jb+j+3)*ldb+p0+kc]
				for p := range r0 {
					o := out[p*gemmNR+j : p*gemmNR+j+4 : p*gemmNR+j+4]
					o[0], o[1], o[2], o[3] = r0[p], r1[p], r2[p], r3[p]
				}
			}
			for ; j < gemmNR; j++ {
				if j >= cols {
					for p := 0; p < kc; p++ {
						out[p*gemmNR+j] = 0
					}
					continue
				}
				src := b[(jb+j)*ldb+p0 : (jb+j)*ldb+p0+kc]
				for p, v := range src {
					out[p*gemmNR+j] = v
				}
			}
			continue
		}
		for p := 0; p < kc; p++ {
			o := out[p*gemmNR : p*gemmNR+gemmNR]
			src := b[(p0+p)*ldb+jb:]
			if cols == gemmNR {
				copy(o, src[:gemmNR])
				continue
			}
			copy(o, src[:cols])
			clear(o[cols:])
		}
	}
}

// macroKernel multiplies the packed mc×kc block of A by the kc×nc panel of
// B and adds the result to C. Columns [0, direct) of the panel are read in
// place from bsrc (row stride ldb); the rest come packed from buf.b.
func macroKernel(buf *gemmBuffers, mc, nc, kc int, c []float32, ldc int, bsrc []float32, ldb, direct int) {
	for jr := 0; jr < nc; jr += gemmNR {
		cols := min(gemmNR, nc-jr)
		var bp []float32
		ld := gemmNR
		if jr < direct {
			bp, ld = bsrc[jr:], ldb
		} else {
			bp = buf.b[(jr-direct)*kc : (jr-direct)*kc+gemmNR*kc]
		}
		for ir := 0; ir < mc; ir += gemmMR {
			rows := min(gemmMR, mc-ir)
			ap := buf.a[ir*kc : ir*kc+gemmMR*kc]
			if rows == gemmMR && cols == gemmNR {
				microKernel(kc, ap, bp, ld, c[ir*ldc+jr:], ldc)
				continue
			}
			t := buf.tile[:]
			clear(t)
			microKernel(kc, ap, bp, ld, t, gemmNR)
			for i := 0; i < rows; i++ {
				row := c[(ir+i)*ldc+jr : (ir+i)*ldc+jr+cols]
				for j := range row {
					row[j] += t[i*gemmNR+j]
				}
			}
		}
	}
}

// microKernelGo is the portable micro-kernel: C[0:MR, 0:NR] += Ap·Bp over kc
// steps, with rows of Bp ldb floats apart. The assembly versions compute the same sums with FMA instructions,
// so results can differ in the last bits.
func microKernelGo(kc int, ap, bp []float32, ldb int, c []float32, ldc int) {
	mr, nr := gemmMR, gemmNR
	var acc [gemmMaxMR * gemmMaxNR]float32
	ap = ap[:kc*mr]
	for p := 0; p < kc; p++ {
		av := ap[p*mr : p*mr+mr]
		bv := bp[p*ldb : p*ldb+nr]
		for i, x := range av {
			r := acc[i*nr : i*nr+nr]
			for j, y := range bv {
				r[j] += x * y
			}
		}
	}
	for i := 0; i < mr; i++ {
		row := c[i*ldc : i*ldc+nr]
		for j := range row {
			row[j] += acc[i*nr+j]
		}
	}
}
