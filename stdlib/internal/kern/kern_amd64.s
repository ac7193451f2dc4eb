//go:build !purego

#include "textflag.h"

// func gather16(dst *float64, idx *int, val *float64, n int, b *float64, ldb int)
// dst[0:16] = Σ_p val[p]·b[idx[p]·ldb : idx[p]·ldb+16], two entries per step
// with separate accumulators (Y0-Y3 and Y4-Y7) to hide the FMA latency.
TEXT ·gather16(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ idx+8(FP), SI
	MOVQ val+16(FP), DX
	MOVQ n+24(FP), CX
	MOVQ b+32(FP), R8
	MOVQ ldb+40(FP), R9
	SHLQ $3, R9
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	MOVQ CX, R10
	SHRQ $1, R10
	JZ   g16tail

g16pair:
	MOVQ  (SI), AX
	IMULQ R9, AX
	MOVQ  8(SI), BX
	IMULQ R9, BX
	VBROADCASTSD (DX), Y8
	VBROADCASTSD 8(DX), Y9
	VFMADD231PD (R8)(AX*1), Y8, Y0
	VFMADD231PD 32(R8)(AX*1), Y8, Y1
	VFMADD231PD 64(R8)(AX*1), Y8, Y2
	VFMADD231PD 96(R8)(AX*1), Y8, Y3
	VFMADD231PD (R8)(BX*1), Y9, Y4
	VFMADD231PD 32(R8)(BX*1), Y9, Y5
	VFMADD231PD 64(R8)(BX*1), Y9, Y6
	VFMADD231PD 96(R8)(BX*1), Y9, Y7
	ADDQ $16, SI
	ADDQ $16, DX
	DECQ R10
	JNZ  g16pair

g16tail:
	ANDQ $1, CX
	JZ   g16done
	MOVQ  (SI), AX
	IMULQ R9, AX
	VBROADCASTSD (DX), Y8
	VFMADD231PD (R8)(AX*1), Y8, Y0
	VFMADD231PD 32(R8)(AX*1), Y8, Y1
	VFMADD231PD 64(R8)(AX*1), Y8, Y2
	VFMADD231PD 96(R8)(AX*1), Y8, Y3

g16done:
	VADDPD Y4, Y0, Y0
	VADDPD Y5, Y1, Y1
	VADDPD Y6, Y2, Y2
	VADDPD Y7, Y3, Y3
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VZEROUPPER
	RET

// func gather4(dst *float64, idx *int, val *float64, n int, b *float64, ldb int)
// dst[0:4] = Σ_p val[p]·b[idx[p]·ldb : idx[p]·ldb+4].
TEXT ·gather4(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ idx+8(FP), SI
	MOVQ val+16(FP), DX
	MOVQ n+24(FP), CX
	MOVQ b+32(FP), R8
	MOVQ ldb+40(FP), R9
	SHLQ $3, R9
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	MOVQ CX, R10
	SHRQ $1, R10
	JZ   g4tail

g4pair:
	MOVQ  (SI), AX
	IMULQ R9, AX
	MOVQ  8(SI), BX
	IMULQ R9, BX
	VBROADCASTSD (DX), Y8
	VBROADCASTSD 8(DX), Y9
	VFMADD231PD (R8)(AX*1), Y8, Y0
	VFMADD231PD (R8)(BX*1), Y9, Y1
	ADDQ $16, SI
	ADDQ $16, DX
	DECQ R10
	JNZ  g4pair

g4tail:
	ANDQ $1, CX
	JZ   g4done
	MOVQ  (SI), AX
	IMULQ R9, AX
	VBROADCASTSD (DX), Y8
	VFMADD231PD (R8)(AX*1), Y8, Y0

g4done:
	VADDPD  Y1, Y0, Y0
	VMOVUPD Y0, (DI)
	VZEROUPPER
	RET

// func scatter16(dst *float64, ldd int, idx *int, val *float64, n int, x *float64)
// dst[idx[p]·ldd : idx[p]·ldd+16] += val[p]·x[0:16] for every p.
TEXT ·scatter16(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ ldd+8(FP), R9
	SHLQ $3, R9
	MOVQ idx+16(FP), SI
	MOVQ val+24(FP), DX
	MOVQ n+32(FP), CX
	MOVQ x+40(FP), R8
	VMOVUPD (R8), Y0
	VMOVUPD 32(R8), Y1
	VMOVUPD 64(R8), Y2
	VMOVUPD 96(R8), Y3
	TESTQ CX, CX
	JZ    s16done

s16loop:
	MOVQ  (SI), AX
	IMULQ R9, AX
	ADDQ  DI, AX
	VBROADCASTSD (DX), Y4
	VMOVUPD (AX), Y5
	VMOVUPD 32(AX), Y6
	VMOVUPD 64(AX), Y7
	VMOVUPD 96(AX), Y8
	VFMADD231PD Y0, Y4, Y5
	VFMADD231PD Y1, Y4, Y6
	VFMADD231PD Y2, Y4, Y7
	VFMADD231PD Y3, Y4, Y8
	VMOVUPD Y5, (AX)
	VMOVUPD Y6, 32(AX)
	VMOVUPD Y7, 64(AX)
	VMOVUPD Y8, 96(AX)
	ADDQ $8, SI
	ADDQ $8, DX
	DECQ CX
	JNZ  s16loop

s16done:
	VZEROUPPER
	RET

// func scatter4(dst *float64, ldd int, idx *int, val *float64, n int, x *float64)
// dst[idx[p]·ldd : idx[p]·ldd+4] += val[p]·x[0:4] for every p.
TEXT ·scatter4(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ ldd+8(FP), R9
	SHLQ $3, R9
	MOVQ idx+16(FP), SI
	MOVQ val+24(FP), DX
	MOVQ n+32(FP), CX
	MOVQ x+40(FP), R8
	VMOVUPD (R8), Y0
	TESTQ CX, CX
	JZ    s4done

s4loop:
	MOVQ  (SI), AX
	IMULQ R9, AX
	ADDQ  DI, AX
	VBROADCASTSD (DX), Y4
	VMOVUPD (AX), Y5
	VFMADD231PD Y0, Y4, Y5
	VMOVUPD Y5, (AX)
	ADDQ $8, SI
	ADDQ $8, DX
	DECQ CX
	JNZ  s4loop

s4done:
	VZEROUPPER
	RET
