package messages

import (
	"fmt"
	"go/token"
	"reflect"
	"strconv"
	"sync"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// resolve maps the type-table entries that nodes need at interface
// positions (and their components) to local Go types.
func (d *recordDecoder) resolve() error {
	types := d.r.types
	for j := len(types) - 1; j >= 0; j-- {
		if !d.needed[j] {
			continue
		}
		w := types[j]
		mark := func(id uint32) {
			if id >= firstDynamicID {
				d.needed[id-firstDynamicID] = true
			}
		}
		mark(w.a)
		mark(w.b)
		for _, f := range w.fields {
			mark(f.typ)
		}
	}
	if d.shared != nil {
		if d.sharedCovers() {
			return nil
		}
		types = d.r.types
	}
	for j, w := range types {
		if !d.needed[j] {
			continue
		}
		t, err := d.resolveType(w)
		if err != nil {
			return err
		}
		w.plan = planFor(t)
	}
	d.keepTable()
	return nil
}

func (d *recordDecoder) component(id uint32) reflect.Type {
	if id < firstDynamicID {
		return builtinTypes[id]
	}
	return d.r.types[id-firstDynamicID].plan.t // lower index: already resolved
}

func (d *recordDecoder) resolveType(w *wireType) (reflect.Type, error) {
	switch w.op {
	case tNamed:
		if t, ok := typeByName(w.name); ok {
			return t, nil
		}
		return nil, &DataCloneError{Reason: "type " + strconv.Quote(w.name) +
			" is not registered on this node (call messages.Register with that name)"}
	case tProto:
		mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(w.name))
		if err != nil {
			return nil, &DataCloneError{Reason: "protobuf message " + strconv.Quote(w.name) + " is not known on this node", Err: err}
		}
		return reflect.TypeOf(mt.Zero().Interface()), nil
	case tSlice:
		e := d.component(w.a)
		return structural("S"+typeKey(e), func() reflect.Type { return reflect.SliceOf(e) })
	case tPtr:
		e := d.component(w.a)
		return structural("P"+typeKey(e), func() reflect.Type { return reflect.PointerTo(e) })
	case tArray:
		e := d.component(w.a)
		if e.Size() != 0 && uint64(w.n) > uint64(d.cfg.maxBytes)*allocationFactor/uint64(e.Size()) {
			return nil, limitErr("array type too large")
		}
		return structural("A"+strconv.Itoa(w.n)+"/"+typeKey(e), func() reflect.Type { return reflect.ArrayOf(w.n, e) })
	case tMap:
		k, e := d.component(w.a), d.component(w.b)
		if !k.Comparable() {
			return nil, corrupt("map key type " + k.String() + " is not comparable")
		}
		return structural("M"+typeKey(k)+"/"+typeKey(e), func() reflect.Type { return reflect.MapOf(k, e) })
	case tStruct:
		return d.structType(w)
	}
	return nil, &DataCloneError{Reason: "type " + strconv.Quote(w.name) + " cannot be rebuilt on this node"}
}

func (d *recordDecoder) structType(w *wireType) (reflect.Type, error) {
	fs := make([]reflect.StructField, len(w.fields))
	key := "T"
	seen := make(map[string]bool, len(w.fields))
	var size uint64
	for i, f := range w.fields {
		if !token.IsIdentifier(f.name) || !token.IsExported(f.name) || seen[f.name] {
			return nil, corrupt("bad struct field name " + strconv.Quote(f.name))
		}
		seen[f.name] = true
		ft := d.component(f.typ)
		size += uint64(ft.Size())
		fs[i] = reflect.StructField{Name: f.name, Type: ft, Tag: reflect.StructTag(f.tag)}
		key += strconv.Quote(f.name) + strconv.Quote(f.tag) + typeKey(ft) + ";"
	}
	if size > uint64(d.cfg.maxBytes)*allocationFactor {
		return nil, limitErr("struct type too large")
	}
	return structural(key, func() reflect.Type { return reflect.StructOf(fs) })
}

// Types built from records (reflect.SliceOf, StructOf, ...) live for the
// rest of the process, so hostile records must not make them without
// bound: at most maxStructuralTypes distinct ones are ever built.
const maxStructuralTypes = 4096

var structuralTypes = struct {
	sync.Mutex
	byKey map[string]reflect.Type
	ids   map[reflect.Type]int
}{byKey: map[string]reflect.Type{}, ids: map[reflect.Type]int{}}

// typeKey returns a process-unique key for t.
func typeKey(t reflect.Type) string {
	structuralTypes.Lock()
	defer structuralTypes.Unlock()
	id, ok := structuralTypes.ids[t]
	if !ok {
		id = len(structuralTypes.ids)
		structuralTypes.ids[t] = id
	}
	return strconv.Itoa(id)
}

func structural(key string, build func() reflect.Type) (t reflect.Type, err error) {
	structuralTypes.Lock()
	defer structuralTypes.Unlock()
	if t, ok := structuralTypes.byKey[key]; ok {
		return t, nil
	}
	if len(structuralTypes.byKey) >= maxStructuralTypes {
		return nil, limitErr("too many distinct composite types built from records")
	}
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, corrupt(fmt.Sprint("type cannot be built: ", p))
		}
	}()
	t = build()
	structuralTypes.byKey[key] = t
	return t, nil
}

// Time locations: "UTC" and "Local" map to time.UTC and time.Local; other
// names are loaded from the time zone database when it knows them and
// agrees on the offset at that instant, else they become a fixed zone of
// that name and offset. Lookups are cached (a bounded number of names).
const maxCachedLocations = 256

var locations = struct {
	sync.Mutex
	m map[string]*time.Location // nil value: unknown name
}{m: map[string]*time.Location{}}

func location(name string, offset int, sec int64) *time.Location {
	switch name {
	case "UTC", "":
		if offset == 0 {
			return time.UTC
		}
	case "Local":
		if _, off := time.Unix(sec, 0).In(time.Local).Zone(); off == offset {
			return time.Local
		}
	default:
		if loc := loadLocation(name); loc != nil {
			if _, off := time.Unix(sec, 0).In(loc).Zone(); off == offset {
				return loc
			}
		}
	}
	return time.FixedZone(name, offset)
}

func loadLocation(name string) *time.Location {
	locations.Lock()
	defer locations.Unlock()
	if loc, ok := locations.m[name]; ok {
		return loc
	}
	if len(locations.m) >= maxCachedLocations {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	locations.m[name] = loc
	return loc
}
