package notebook

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"reflect"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Key returns the hex SHA-256 of a canonical encoding of values (see the
// package doc for what is and is not part of it).
func Key(values ...any) string {
	h := sha256.New()
	e := &encoder{h: h, seen: map[uintptr]bool{}}
	for _, v := range values {
		e.value(reflect.ValueOf(v), 0)
	}
	return hex.EncodeToString(h.Sum(nil))
}

type encoder struct {
	h    hash.Hash
	buf  [8]byte
	seen map[uintptr]bool // pointers on the current path, against cycles
}

// maxDepth stops runaway recursion in pathological values.
const maxDepth = 64

func (e *encoder) tag(s string) { e.str(s) }

func (e *encoder) str(s string) {
	e.u64(uint64(len(s)))
	e.h.Write([]byte(s))
}

func (e *encoder) u64(u uint64) {
	binary.LittleEndian.PutUint64(e.buf[:], u)
	e.h.Write(e.buf[:])
}

var matrixType = reflect.TypeOf((*mat.Matrix)(nil)).Elem()

func (e *encoder) value(v reflect.Value, depth int) {
	if depth > maxDepth {
		panic(fmt.Sprintf("notebook: Key: value nested deeper than %d levels", maxDepth))
	}
	if !v.IsValid() {
		e.tag("nil")
		return
	}
	t := v.Type()
	// gonum's own matrix types by content, so a view, a copy and a
	// different stride of the same numbers give the same key.
	if t.Implements(matrixType) && strings.HasPrefix(derefType(t).PkgPath(), "gonum.org/v1/gonum/") && v.CanInterface() {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			e.tag("nil")
			return
		}
		e.matrix(v.Interface().(mat.Matrix))
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		e.tag("b")
		if v.Bool() {
			e.u64(1)
		} else {
			e.u64(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.tag("i")
		e.u64(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.tag("u")
		e.u64(v.Uint())
	case reflect.Float32, reflect.Float64:
		e.tag("f")
		e.u64(math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		e.tag("c")
		c := v.Complex()
		e.u64(math.Float64bits(real(c)))
		e.u64(math.Float64bits(imag(c)))
	case reflect.String:
		e.tag("s")
		e.str(v.String())
	case reflect.Pointer:
		if v.IsNil() {
			e.tag("nil")
			return
		}
		p := v.Pointer()
		if e.seen[p] {
			e.tag("cycle")
			return
		}
		e.seen[p] = true
		e.value(v.Elem(), depth+1)
		delete(e.seen, p)
	case reflect.Interface:
		if v.IsNil() {
			e.tag("nil")
			return
		}
		e.tag(v.Elem().Type().String())
		e.value(v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		e.tag("list")
		e.u64(uint64(v.Len()))
		switch t.Elem().Kind() {
		case reflect.Float64, reflect.Float32, reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint8, reflect.Uint32, reflect.Uint64:
			e.numbers(v)
			return
		}
		for i := 0; i < v.Len(); i++ {
			e.value(v.Index(i), depth+1)
		}
	case reflect.Map:
		e.tag("map")
		e.u64(uint64(v.Len()))
		type kv struct {
			k string
			v reflect.Value
		}
		var entries []kv
		for it := v.MapRange(); it.Next(); {
			sub := sha256.New()
			(&encoder{h: sub, seen: e.seen}).value(it.Key(), depth+1)
			entries = append(entries, kv{string(sub.Sum(nil)), it.Value()})
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].k < entries[j].k })
		for _, en := range entries {
			e.str(en.k)
			e.value(en.v, depth+1)
		}
	case reflect.Struct:
		e.tag(t.String())
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			switch f.Type.Kind() {
			case reflect.Func, reflect.Chan, reflect.UnsafePointer:
				continue
			}
			if strings.HasPrefix(f.Name, "Progress") {
				continue
			}
			e.str(f.Name)
			e.value(v.Field(i), depth+1)
		}
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		e.tag("skip")
	default:
		panic(fmt.Sprintf("notebook: Key: cannot encode a %s", t))
	}
}

// numbers hashes a slice or array of fixed-size numbers element by
// element (readable through reflect even in unexported fields).
func (e *encoder) numbers(v reflect.Value) {
	for i := 0; i < v.Len(); i++ {
		x := v.Index(i)
		switch x.Kind() {
		case reflect.Float32, reflect.Float64:
			e.u64(math.Float64bits(x.Float()))
		case reflect.Int, reflect.Int32, reflect.Int64:
			e.u64(uint64(x.Int()))
		default:
			e.u64(x.Uint())
		}
	}
}

func (e *encoder) matrix(m mat.Matrix) {
	r, c := m.Dims()
	e.tag("matrix")
	e.u64(uint64(r))
	e.u64(uint64(c))
	if d, ok := m.(*mat.Dense); ok {
		raw := d.RawMatrix()
		for i := 0; i < r; i++ {
			for _, x := range raw.Data[i*raw.Stride : i*raw.Stride+c] {
				e.u64(math.Float64bits(x))
			}
		}
		return
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			e.u64(math.Float64bits(m.At(i, j)))
		}
	}
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}
