# gdb support for CosmosKernel: C# names, values and backtraces for a kernel ILC compiled.
#
#   source Cosmos/Cosmos.Build/gdb/cosmos.py        (./cosmos debug and the VS Code template do this)
#
# ILC's DWARF describes every method and type under a flat, mangled name: the assembly ("module") prefix,
# then the namespace and type joined by '_', then "__" and the method (CosmosKernel_CosmosKernel_Kernel__Run,
# S_P_CoreLib_System_String__Concat). References are C++ references to class types (String &), arrays are
# __Array<T> with m_NumComponents and m_Data. This script adds:
#   cs-break NAMESPACE.TYPE.METHOD   break on a C# method by its C# name (every overload; a suffix of the
#                                    name such as Kernel.Run or Target.Inspect is enough)
#   cs-bt [COUNT]                    the backtrace with C# method names, arguments, files and lines
#   cs-start                         run a kernel QEMU holds at reset (-S) until it is loaded, so that
#                                    software breakpoints are not overwritten by the loader
# and pretty printers for String, arrays, List<T>, Dictionary<TKey,TValue> and objects (fields by their
# C# names, auto-property backing fields as the property). Null references print as null.
import os
import re

import gdb

MAX_CHILDREN = 200

# --- Names ------------------------------------------------------------------------------------------

_FALLBACK_MODULES = ["S_P_CoreLib", "S_P_Reflection_Execution", "S_P_StackTraceMetadata", "S_P_TypeLoader",
                     "Cosmos_Core", "Cosmos_HAL2", "Cosmos_System2", "Cosmos_Drivers", "Cosmos_Plugs"]
_module_prefixes = None


def _module_prefix(assembly):
    """ILC's module prefix for an assembly name: System.Private.X -> S_P_X, otherwise '.' -> '_'."""
    if assembly.startswith("System.Private."):
        return "S_P_" + assembly[len("System.Private."):].replace(".", "_")
    return re.sub(r"[^A-Za-z0-9]", "_", assembly)


def _kernel_rsp():
    """The ILC response file of the kernel being debugged: obj/<config>/cosmos/ilc.rsp beside bin/<config>/cosmos."""
    for objfile in gdb.objfiles():
        name = objfile.filename or ""
        if not name.endswith(".elf"):
            continue
        cosmos_dir = os.path.dirname(os.path.abspath(name))                 # .../bin/<config>/cosmos
        config = os.path.basename(os.path.dirname(cosmos_dir))
        project = os.path.dirname(os.path.dirname(os.path.dirname(cosmos_dir)))
        rsp = os.path.join(project, "obj", config, "cosmos", "ilc.rsp")
        if os.path.exists(rsp):
            return rsp
    return None


def module_prefixes():
    """Known module prefixes, longest first (so that Cosmos_System2 wins over a shorter one)."""
    global _module_prefixes
    if _module_prefixes is None:
        prefixes = set(_FALLBACK_MODULES)
        rsp = _kernel_rsp()
        if rsp:
            with open(rsp) as lines:
                for line in lines:
                    line = line.strip()
                    if line.startswith("-r:"):
                        line = line[3:]
                    if line.endswith(".dll"):
                        prefixes.add(_module_prefix(os.path.basename(line)[:-4]))
        _module_prefixes = sorted(prefixes, key=len, reverse=True)
    return _module_prefixes


def _strip_module(mangled):
    for prefix in module_prefixes():
        if mangled.startswith(prefix + "_"):
            return mangled[len(prefix) + 1:]
    # An assembly named like its root namespace (MyKernel_MyKernel_Kernel) when the build's list is not at hand.
    match = re.match(r"([A-Za-z0-9]+)_\1_", mangled)
    return mangled[len(match.group(1)) + 1:] if match else mangled


def csharp_type_name(mangled, has_module=True):
    """S_P_CoreLib_System_Collections_Generic_List_1<String> -> System.Collections.Generic.List<String>."""
    if mangled.startswith("__Array<") and mangled.endswith(">"):
        return csharp_type_name(mangled[len("__Array<"):-1]) + "[]"
    if mangled == "System___Canon":
        return "__Canon"                                         # shared generic code's placeholder type
    mangled = mangled.replace("System___Canon", "SystemCanonPlaceholder")
    head, angle, rest = mangled.partition("<")
    head = re.sub(r"_\d+$", "", _strip_module(head) if has_module else head).replace("_", ".")
    if not angle:
        return head
    arguments = [csharp_type_name(a.replace("SystemCanonPlaceholder", "System___Canon"))
                 for a in _split_top_level(rest[:-1], "__")] if rest.endswith(">") else [rest]
    return head + "<" + ", ".join(arguments) + ">"


def _split_top_level(text, separator):
    parts = []
    while True:
        index = _first_top_level(text, separator)
        if index < 0:
            parts.append(text)
            return parts
        parts.append(text[:index])
        text = text[index + len(separator):]


def _first_top_level(text, separator):
    depth = 0
    for i, c in enumerate(text):
        if c == "<":
            depth += 1
        elif c == ">":
            depth -= 1
        elif depth == 0 and text.startswith(separator, i):
            return i
    return -1


def csharp_method_name(mangled):
    """DebugTests_DebugTests_Target__Inspect -> DebugTests.Target.Inspect (an overload's _N suffix dropped)."""
    if not mangled:
        return "??"
    name = _strip_module(mangled)
    split = _last_top_level(name, "__")
    if split < 0:
        return mangled
    method = re.sub(r"_\d+$", "", name[split + 2:])
    return csharp_type_name(name[:split], has_module=False) + "." + method


def _last_top_level(text, separator):
    """The index of the last separator outside <...> (generic arguments hold separators of their own), or -1."""
    depth = 0
    found = -1
    i = 0
    while i < len(text):
        c = text[i]
        if c == "<":
            depth += 1
        elif c == ">":
            depth -= 1
        elif depth == 0 and text.startswith(separator, i):
            found = i
            i += len(separator)
            continue
        i += 1
    return found


def resolve_method(name):
    """The function symbols a C# method name (or a suffix of it: Type.Method) stands for."""
    parts = name.strip().split(".")
    if len(parts) < 2:
        raise gdb.GdbError("cs-break: give Namespace.Type.Method (or at least Type.Method), not " + repr(name))
    wanted = "_".join(parts[:-1]) + "__" + parts[-1]
    listing = gdb.execute("info functions -q -n " + re.escape(wanted), to_string=True)
    pattern = re.compile(r"(?:^|_)" + re.escape(wanted) + r"(?:_\d+)?$")
    found = []
    for symbol in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\(", listing):
        if pattern.search(symbol) and symbol not in found:
            found.append(symbol)
    return found


class CsBreak(gdb.Command):
    """Break on a C# method by its C# name: cs-break Namespace.Type.Method (all overloads)."""

    def __init__(self):
        super().__init__("cs-break", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, argument, from_tty):
        symbols = resolve_method(argument)
        if not symbols:
            raise gdb.GdbError("cs-break: no method " + argument.strip() + " in this kernel")
        for symbol in symbols:
            gdb.Breakpoint(symbol)


class CsBacktrace(gdb.Command):
    """The backtrace in C# terms: cs-bt [COUNT]."""

    def __init__(self):
        super().__init__("cs-bt", gdb.COMMAND_STACK)

    def invoke(self, argument, from_tty):
        limit = int(argument) if argument.strip() else 64
        frame = gdb.newest_frame()
        level = 0
        while frame is not None and level < limit:
            gdb.write(describe_frame(frame, level) + "\n")
            frame = frame.older()
            level += 1


def describe_frame(frame, level):
    name = frame.name()
    text = "#%-2d %s(" % (level, csharp_method_name(name) if name else "0x%x" % frame.pc())
    try:
        block = frame.block()
        arguments = []
        for symbol in block:
            if symbol.is_argument and symbol.name != "this":
                arguments.append("%s: %s" % (symbol.name, short_value(symbol.value(frame))))
        text += ", ".join(arguments)
    except RuntimeError:
        pass
    text += ")"
    sal = frame.find_sal()
    if sal.symtab is not None:
        text += " at %s:%d" % (sal.symtab.filename, sal.line)
    return text


def short_value(value):
    try:
        printer = lookup_printer(value)
        if printer is not None:
            return printer.to_string()
        return str(value)
    except gdb.error as error:
        return "<%s>" % error


class CsStart(gdb.Command):
    """Run a kernel QEMU holds at reset until it is loaded (a hardware breakpoint at the ELF entry)."""

    def __init__(self):
        super().__init__("cs-start", gdb.COMMAND_RUNNING)

    def invoke(self, argument, from_tty):
        entry = None
        for line in gdb.execute("info files", to_string=True).splitlines():
            match = re.search(r"Entry point: (0x[0-9a-fA-F]+)", line)
            if match:
                entry = match.group(1)
        if entry is None:
            raise gdb.GdbError("cs-start: no ELF entry point (was the kernel loaded with 'file'?)")
        gdb.execute("thbreak *" + entry, to_string=True)
        gdb.execute("continue", to_string=True)


# --- Values -----------------------------------------------------------------------------------------

def _referent(value):
    """The object a reference or pointer designates, or None for null."""
    kind = value.type.strip_typedefs().code
    if kind == gdb.TYPE_CODE_REF:
        target = value.referenced_value()
        return None if int(target.address) == 0 else target
    if kind == gdb.TYPE_CODE_PTR:
        return None if int(value) == 0 else value.dereference()
    return value


def _fields_of(value):
    """Instance fields by their C# names, inherited ones included, the runtime's own header left out."""
    result = []
    for field in value.type.strip_typedefs().fields():
        if field.is_base_class:
            if field.type.strip_typedefs().name != "Object":
                result.extend(_fields_of(value[field]))
            continue
        if not hasattr(field, "bitpos"):
            continue                                            # static
        name = field.name
        match = re.fullmatch(r"<(.+)>k__BackingField", name or "")
        result.append((match.group(1) if match else name, value[field]))
    return result


class NullPrinter:
    def to_string(self):
        return "null"


class StringPrinter:
    def __init__(self, value):
        self.value = value

    def to_string(self):
        length = int(self.value["_stringLength"])
        if length < 0 or length > 1 << 20:
            return "<String with length %d>" % length
        address = int(self.value["_firstChar"].address)
        data = gdb.selected_inferior().read_memory(address, length * 2).tobytes()
        return '"' + data.decode("utf-16-le", errors="replace").replace("\\", "\\\\").replace('"', '\\"') + '"'


class ArrayPrinter:
    def __init__(self, value):
        self.value = value

    def length(self):
        return int(self.value["m_NumComponents"])

    def to_string(self):
        element = csharp_type_name(self.value.type.strip_typedefs().name)[:-2]
        return "%s[%d]" % (element, self.length())

    def children(self):
        data = self.value["m_Data"]
        for i in range(min(self.length(), MAX_CHILDREN)):
            yield "[%d]" % i, data[i]

    def display_hint(self):
        return "array"


class ListPrinter:
    def __init__(self, value):
        self.value = value

    def to_string(self):
        return "%s Count=%d" % (csharp_type_name(self.value.type.strip_typedefs().name), int(self.value["_size"]))

    def children(self):
        items = _referent(self.value["_items"])
        if items is None:
            return
        data = items["m_Data"]
        for i in range(min(int(self.value["_size"]), MAX_CHILDREN)):
            yield "[%d]" % i, data[i]

    def display_hint(self):
        return "array"


class DictionaryPrinter:
    def __init__(self, value):
        self.value = value

    def count(self):
        return int(self.value["_count"]) - int(self.value["_freeCount"])

    def to_string(self):
        return "%s Count=%d" % (csharp_type_name(self.value.type.strip_typedefs().name), self.count())

    def children(self):
        entries = _referent(self.value["_entries"])
        if entries is None:
            return
        data = entries["m_Data"]
        shown = 0
        for i in range(int(self.value["_count"])):
            entry = data[i]
            if int(entry["next"]) < -1:                       # a free entry (its next is below -1)
                continue
            yield "[%d].key" % i, entry["key"]
            yield "[%d].value" % i, entry["value"]
            shown += 1
            if shown >= MAX_CHILDREN:
                return

    def display_hint(self):
        return "map"


class ObjectPrinter:
    def __init__(self, value):
        self.value = value

    def to_string(self):
        return csharp_type_name(self.value.type.strip_typedefs().name)

    def children(self):
        for name, field in _fields_of(self.value):
            yield name, field


def _is_managed_class(kind):
    """True for class types ILC emitted for managed objects (they derive from Object)."""
    seen = kind
    for _ in range(32):
        fields = [f for f in seen.fields() if f.is_base_class]
        if not fields:
            return seen.name == "Object"
        seen = fields[0].type.strip_typedefs()
    return False


class SafePrinter:
    """A printer whose value's layout is not what it expects (shared generic code describes __Canon types
    thinly) falls back to the type's C# name instead of an error in the middle of a frame line."""

    def __init__(self, inner, value):
        self.inner = inner
        self.value = value
        if hasattr(inner, "display_hint"):
            self.display_hint = inner.display_hint

    def to_string(self):
        try:
            return self.inner.to_string()
        except gdb.error:
            return csharp_type_name(self.value.type.strip_typedefs().name or "?")

    def children(self):
        if not hasattr(self.inner, "children"):
            return iter(())
        try:
            return list(self.inner.children())
        except gdb.error:
            return iter(())


def lookup_printer(value):
    printer = _choose_printer(value)
    if printer is None or isinstance(printer, (NullPrinter, SafePrinter)):
        return printer
    return SafePrinter(printer, value)


def _choose_printer(value):
    kind = value.type.strip_typedefs()
    if kind.code in (gdb.TYPE_CODE_REF, gdb.TYPE_CODE_PTR):
        target_kind = kind.target().strip_typedefs()
        if target_kind.code != gdb.TYPE_CODE_STRUCT or not _is_managed_class(target_kind):
            return None
        referent = _referent(value)
        return NullPrinter() if referent is None else _choose_printer(referent)
    if kind.code != gdb.TYPE_CODE_STRUCT:
        return None
    name = kind.name or ""
    if name == "String":
        return StringPrinter(value)
    if name.startswith("__Array<"):
        return ArrayPrinter(value)
    if re.match(r"S_P_CoreLib_System_Collections_Generic_List_1<", name):
        return ListPrinter(value)
    if re.match(r"S_P_CoreLib_System_Collections_Generic_Dictionary_2<", name):
        return DictionaryPrinter(value)
    if name != "Object" and _is_managed_class(kind):
        return ObjectPrinter(value)
    return None


CsBreak()
CsBacktrace()
CsStart()
gdb.pretty_printers.append(lookup_printer)
gdb.execute("set print pretty off")
gdb.execute("set print elements 200")          # fixed buffers (sector caches) stay readable
