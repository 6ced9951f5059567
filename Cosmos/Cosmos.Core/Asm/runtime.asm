; Runtime exports that must be assembly: they run with register contracts the JIT relies on
; (write barriers, transitions, probes) or they are the primitive CPU instructions C# cannot say.
bits 64
default rel

section .data
align 8
global __security_cookie
__security_cookie:  dq 0x2B992DDFA232C0DE       ; RyuJIT's stack-buffer check compares against this
global g_cpuFeatures
g_cpuFeatures:      dd 0                        ; no optional instruction sets beyond the compile baseline
global RhpTrapThreads
RhpTrapThreads:     dd 0                        ; non-zero makes GC polls call RhpGcPoll

section .text

; --- Write barriers (no GC generations yet: a plain store). They clobber nothing else. -------
global RhpAssignRef, RhpCheckedAssignRef, RhpByRefAssignRef
cosmos_barriers_av_start:
RhpAssignRef:
RhpCheckedAssignRef:
    mov [rdi], rsi
    ret
; Copies [rsi] to [rdi] and advances both by one pointer (RyuJIT's byref barrier contract).
RhpByRefAssignRef:
    mov rcx, [rsi]
    mov [rdi], rcx
    add rdi, 8
    add rsi, 8
    ret

; RhpCheckedLockCmpXchg(ref object location, object value, object comparand) -> original
global RhpCheckedLockCmpXchg
RhpCheckedLockCmpXchg:
    mov rax, rdx
    lock cmpxchg [rdi], rsi
    ret
; RhpCheckedXchg(ref object location, object value) -> original
global RhpCheckedXchg
RhpCheckedXchg:
    mov rax, rsi
    xchg [rdi], rax
    ret
cosmos_barriers_av_end:

global cosmos_barriers_av_bounds
cosmos_barriers_av_bounds:                      ; (ulong* end) -> start
    lea rax, [cosmos_barriers_av_end]
    mov [rdi], rax
    lea rax, [cosmos_barriers_av_start]
    ret

; --- Transitions: one kernel thread of managed code, nothing to publish yet. -----------------
global RhpPInvoke, RhpPInvokeReturn, RhpReversePInvoke, RhpReversePInvokeReturn, RhpGcPoll
RhpPInvoke:
RhpPInvokeReturn:
RhpReversePInvoke:
RhpReversePInvokeReturn:
RhpGcPoll:
    ret

; No guard pages below kernel stacks yet, so probing has nothing to touch.
global RhpStackProbe
RhpStackProbe:
    ret

; --- memset / memmove (C semantics; RyuJIT calls these for block ops) ------------------------
global memset, memmove, memcpy
memset:                                         ; (dst, byte, count) -> dst
    mov r9, rdi
    mov eax, esi
    mov rcx, rdx
    rep stosb
    mov rax, r9
    ret
memcpy:
memmove:                                        ; (dst, src, count) -> dst
    mov rax, rdi
    mov rcx, rdx
    cmp rdi, rsi
    jbe .forward
    lea r8, [rsi + rdx]
    cmp rdi, r8
    jae .forward
    lea rsi, [rsi + rdx - 1]
    lea rdi, [rdi + rdx - 1]
    std
    rep movsb
    cld
    ret
.forward:
    rep movsb
    ret

; --- CPU primitives for Cosmos.Core.CPU ------------------------------------------------------
global cosmos_outb, cosmos_outw, cosmos_outd, cosmos_inb, cosmos_inw, cosmos_ind
cosmos_outb:
    mov edx, edi
    mov eax, esi
    out dx, al
    ret
cosmos_outw:
    mov edx, edi
    mov eax, esi
    out dx, ax
    ret
cosmos_outd:
    mov edx, edi
    mov eax, esi
    out dx, eax
    ret
cosmos_inb:
    mov edx, edi
    xor eax, eax
    in al, dx
    ret
cosmos_inw:
    mov edx, edi
    xor eax, eax
    in ax, dx
    ret
cosmos_ind:
    mov edx, edi
    in eax, dx
    ret

global cosmos_halt, cosmos_cli, cosmos_sti, cosmos_pause, cosmos_rdtsc, cosmos_read_cr2, cosmos_read_cr3
global cosmos_rdmsr, cosmos_wrmsr, cosmos_lidt, cosmos_lgdt, cosmos_ltr, cosmos_read_rsp, cosmos_read_rbp
global cosmos_cpuid, cosmos_invlpg, cosmos_write_cr3, cosmos_save_flags_cli, cosmos_restore_flags, cosmos_read_flags
cosmos_save_flags_cli:                          ; () -> rflags before the cli
    pushfq
    pop rax
    cli
    ret
cosmos_restore_flags:                           ; (rflags): puts IF back as it was
    push rdi
    popfq
    ret
cosmos_read_flags:
    pushfq
    pop rax
    ret
cosmos_halt:
    hlt
    ret
cosmos_cli:
    cli
    ret
cosmos_sti:
    sti
    ret
cosmos_pause:
    pause
    ret
cosmos_rdtsc:
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret
cosmos_read_cr2:
    mov rax, cr2
    ret
cosmos_read_cr3:
    mov rax, cr3
    ret
cosmos_write_cr3:
    mov cr3, rdi
    ret
cosmos_invlpg:
    invlpg [rdi]
    ret
cosmos_rdmsr:                                   ; (msr) -> value
    mov ecx, edi
    rdmsr
    shl rdx, 32
    or rax, rdx
    ret
cosmos_wrmsr:                                   ; (msr, value)
    mov ecx, edi
    mov eax, esi
    mov rdx, rsi
    shr rdx, 32
    wrmsr
    ret
cosmos_lidt:
    lidt [rdi]
    ret
cosmos_lgdt:
    lgdt [rdi]
    ret
cosmos_ltr:
    ltr di
    ret
cosmos_read_rsp:
    lea rax, [rsp + 8]
    ret
cosmos_read_rbp:
    mov rax, rbp
    ret
cosmos_cpuid:                                   ; (leaf, subleaf, uint* out4)
    push rbx
    mov r8, rdx
    mov eax, edi
    mov ecx, esi
    cpuid
    mov [r8], eax
    mov [r8 + 4], ebx
    mov [r8 + 8], ecx
    mov [r8 + 12], edx
    pop rbx
    ret

; cosmos_rdrand(ulong* value) -> 1, or 0 when the random number generator gave nothing after
; ten tries (Intel's DRNG guide, §5.2.1: retry up to ten times, then report failure).
; cosmos_rdseed(ulong* value): the same for RDSEED, which may run dry for longer (the guide's §5.3.1:
; retry with a pause), so it tries a hundred times.
global cosmos_rdseed
cosmos_rdseed:
    mov ecx, 100
.retry:
    rdseed rax
    jc .got
    pause
    dec ecx
    jnz .retry
    xor eax, eax
    ret
.got:
    mov [rdi], rax
    mov eax, 1
    ret

global cosmos_rdrand
cosmos_rdrand:
    mov ecx, 10
.retry:
    rdrand rax
    jc .got
    dec ecx
    jnz .retry
    xor eax, eax
    ret
.got:
    mov [rdi], rax
    mov eax, 1
    ret

; Called by the generated stub of every runtime export nobody implements: rdi = its name,
; [rsp] = the return address into the caller. Hands the caller's IP, SP and RBP to the panic.
extern __cosmos_missing_export_panic
global __cosmos_missing_export
__cosmos_missing_export:
    mov rsi, [rsp]
    lea rdx, [rsp + 8]
    mov rcx, rbp
    and rsp, -16
    call __cosmos_missing_export_panic
.hang:
    cli
    hlt
    jmp .hang

; The heap InitializeModules allocates from, before the memory map has been read.
EARLY_HEAP_SIZE equ 8 * 1024 * 1024
section .bss
alignb 4096
early_heap: resb EARLY_HEAP_SIZE
early_heap_end:
section .text
global cosmos_early_heap_bounds
cosmos_early_heap_bounds:                       ; (byte** end) -> start
    lea rax, [early_heap_end]
    mov [rdi], rax
    lea rax, [early_heap]
    ret

extern __kernel_start, __kernel_end
global cosmos_kernel_bounds
cosmos_kernel_bounds:                           ; (ulong* end) -> start
    lea rax, [__kernel_end]
    mov [rdi], rax
    lea rax, [__kernel_start]
    ret

; The image's parts as the linker placed them (Boot/kernel.ld), for Paging.ProtectKernelImage:
; (ulong* out) fills out[0..6] = kernel start, boot data, text, read-only data, data, symbols, kernel end.
extern __boot_data_start, __text_start, __rodata_start, __data_start, __cosmos_symbols_start
global cosmos_kernel_layout
cosmos_kernel_layout:
    lea rax, [__kernel_start]
    mov [rdi], rax
    lea rax, [__boot_data_start]
    mov [rdi + 8], rax
    lea rax, [__text_start]
    mov [rdi + 16], rax
    lea rax, [__rodata_start]
    mov [rdi + 24], rax
    lea rax, [__data_start]
    mov [rdi + 32], rax
    lea rax, [__cosmos_symbols_start]
    mov [rdi + 40], rax
    lea rax, [__kernel_end]
    mov [rdi + 48], rax
    ret

; (byte* destination, byte* source, nuint length): a copy that may write read-only pages (CR0.WP off
; for its duration, interrupts off): the debugger's breakpoints in kernel code.
global cosmos_copy_past_write_protect
cosmos_copy_past_write_protect:
    pushfq
    cli
    mov rcx, rdx
    mov rax, cr0
    mov r8, rax
    and rax, ~(1 << 16)
    mov cr0, rax
    rep movsb
    mov cr0, r8
    popfq
    ret

; RhBulkMoveWithWriteBarrier(ref byte dst, ref byte src, nuint size): no card table yet, a memmove.
global RhBulkMoveWithWriteBarrier
RhBulkMoveWithWriteBarrier:
    jmp memmove

; RhpGcSafeZeroMemory(ref byte dst, nuint size) -> dst
global RhpGcSafeZeroMemory
RhpGcSafeZeroMemory:
    mov rdx, rsi
    xor esi, esi
    jmp memset

; A breakpoint trap for Debugger.Break (Cosmos.Core.Debugging.GdbStub): the stub reports the stop here.
global cosmos_breakpoint
cosmos_breakpoint:
    int3
    ret

; Page 0 becomes not-present: a null dereference then faults and becomes NullReferenceException.
extern low_page_table
global cosmos_unmap_null_page
cosmos_unmap_null_page:
    mov qword [low_page_table], 0
    invlpg [0]
    ret

extern __managedcode_start, __managedcode_end
global cosmos_managed_code_bounds
cosmos_managed_code_bounds:                     ; (ulong* end) -> start
    lea rax, [__managedcode_end]
    mov [rdi], rax
    lea rax, [__managedcode_start]
    ret

; The symbol table the build appends (see Cosmos.Build's symbols step); empty on the first link.
extern __cosmos_symbols_start, __cosmos_symbols_end
global cosmos_symbol_table
cosmos_symbol_table:                            ; (ulong* length) -> start
    lea rax, [__cosmos_symbols_end]
    lea rcx, [__cosmos_symbols_start]
    sub rax, rcx
    mov [rdi], rax
    mov rax, rcx
    ret

extern RhpThrowHwEx
global cosmos_throw_hw_ex_address
cosmos_throw_hw_ex_address:
    lea rax, [RhpThrowHwEx]
    ret

; Enables interrupts and halts as one step: `sti` takes effect after the next instruction, so an
; interrupt that arrives between a waiter's last check (made with interrupts off) and the halt
; still wakes it.
global cosmos_sti_hlt
cosmos_sti_hlt:
    sti
    hlt
    ret
