; CosmosKernel boot path: one ELF, two entries.
;   * multiboot2 (GRUB on the ISO, BIOS and UEFI): eax = 0x36D76289, ebx = multiboot2 information
;   * PVH (qemu -kernel, microvm):                 ebx = hvm_start_info, magic 0x336EC578 at [ebx]
; Both arrive in 32-bit protected mode with paging off. We build identity-mapped page tables for
; the first 4 GiB (page 0 left unmapped so that null dereferences fault), enter long mode and call
; the managed entry with (bootKind, bootInfoPhysicalAddress).

bits 32
extern __bss_start, __bss_end

MB2_MAGIC        equ 0xE85250D6
MB2_BOOT_MAGIC   equ 0x36D76289
PVH_START_MAGIC  equ 0x336EC578

BOOT_KIND_MULTIBOOT2 equ 1
BOOT_KIND_PVH        equ 2

section .multiboot2 progbits alloc noexec nowrite align=8
mb2_header:
    dd MB2_MAGIC
    dd 0                                        ; i386 protected mode
    dd mb2_header_end - mb2_header
    dd -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
    align 8
    ; Framebuffer request (multiboot2 §3.1.10), optional: GRUB sets a 32-bit graphics mode where the firmware
    ; has one, and the kernel draws its console there when no GPU driver binds (FirmwareFramebufferDevice).
    dw 5, 1                                     ; type 5, flags: optional
    dd 20
    dd 1024, 768, 32                            ; width, height, depth (a preference, not a demand)
    align 8
    dw 0, 0                                     ; end tag
    dd 8
mb2_header_end:

; Xen ELF note: XEN_ELFNOTE_PHYS32_ENTRY (18) gives QEMU's PVH loader our 32-bit entry.
section .note.Xen note alloc noexec nowrite align=4
    dd 4                                        ; name size ("Xen\0")
    dd 4                                        ; descriptor size
    dd 18                                       ; XEN_ELFNOTE_PHYS32_ENTRY
    db "Xen", 0
    dd _start32

section .boot.text progbits alloc exec nowrite align=16
global _start32
_start32:
    cli
    cld
    mov edi, ebx                                ; keep the boot information pointer
    mov esi, BOOT_KIND_MULTIBOOT2
    cmp eax, MB2_BOOT_MAGIC
    je .known
    mov esi, BOOT_KIND_PVH
    cmp dword [ebx], PVH_START_MAGIC
    je .known
    mov esi, 0                                  ; unknown loader: managed code reports it
.known:
    mov [boot_kind], esi
    mov [boot_info], edi

    ; Zero .bss (both loaders should, but the page tables live there and must start clean).
    mov edi, __bss_start
    mov ecx, __bss_end
    sub ecx, edi
    shr ecx, 2
    xor eax, eax
    rep stosd

    mov esp, boot_stack_top

    ; PML4[0] -> PDPT; PDPT[0..3] -> 4 page directories of 2 MiB pages covering 4 GiB.
    mov eax, pdpt
    or eax, 3
    mov [pml4], eax
    mov ecx, 0
.fill_pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, page_dirs
    or eax, 3
    mov [pdpt + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jne .fill_pdpt

    mov ecx, 0
.fill_pd:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83                                ; present, writable, 2 MiB page
    mov [page_dirs + ecx * 8], eax
    mov eax, ecx
    shr eax, 11                                 ; bits 32+ of the physical address
    mov [page_dirs + ecx * 8 + 4], eax
    inc ecx
    cmp ecx, 2048
    jne .fill_pd

    ; The first 2 MiB through 4 KiB pages. Page 0 stays mapped while managed code reads the boot
    ; information (QEMU's PVH ROM puts the memory map there); cosmos_unmap_null_page then
    ; removes it so that null dereferences fault.
    mov eax, low_page_table
    or eax, 3
    mov [page_dirs], eax
    mov dword [page_dirs + 4], 0
    mov ecx, 0
.fill_pt:
    mov eax, ecx
    shl eax, 12
    or eax, 3
    mov [low_page_table + ecx * 8], eax
    inc ecx
    cmp ecx, 512
    jne .fill_pt

    mov eax, pml4
    mov cr3, eax

    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)     ; PAE, OSFXSR, OSXMMEXCPT
    mov cr4, eax

    mov ecx, 0xC0000080                         ; EFER
    rdmsr
    or eax, (1 << 8) | (1 << 11)                ; LME, NXE
    wrmsr

    mov eax, cr0
    and eax, ~(1 << 2)                          ; EM off: SSE in use
    or eax, (1 << 31) | (1 << 16) | (1 << 5) | (1 << 1) | 1   ; PG, WP, NE, MP, PE
    mov cr0, eax

    lgdt [gdt64_pointer]
    jmp 0x08:long_mode_entry

bits 64
extern __cosmos_managed_start
long_mode_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    xor rbp, rbp
    fninit
    call __cosmos_managed_start
.halt:
    cli
    hlt
    jmp .halt

section .boot.data progbits alloc noexec write align=16
global gdt64
gdt64:
    dq 0
    dq 0x00AF9A000000FFFF                       ; 0x08: 64-bit code, ring 0
    dq 0x00CF92000000FFFF                       ; 0x10: data, ring 0
    dq 0, 0                                     ; 0x18: TSS descriptor (filled by Cosmos.Core)
gdt64_end:
global gdt64_pointer
gdt64_pointer:
    dw gdt64_end - gdt64 - 1
    dq gdt64
global boot_kind
boot_kind: dd 0
global boot_info
boot_info: dd 0

section .bss nobits alloc noexec write align=4096
pml4:           resb 4096
global low_page_table
pdpt:           resb 4096
page_dirs:      resb 4096 * 4
low_page_table: resb 4096
global boot_stack_bottom
boot_stack_bottom:
    resb 1024 * 1024
global boot_stack_top
boot_stack_top:
