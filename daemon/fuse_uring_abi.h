/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuse_uring_abi.h - the FUSE-over-io-uring pieces of the kernel ABI
 * (protocol 7.42, Linux 6.14+), for daemon/uring_transport.c.
 *
 * Debian's <linux/fuse.h> (7.38) predates them and libfuse 3.14 does not
 * speak the protocol, so the few definitions the transport needs are
 * restated here from the kernel's include/uapi/linux/fuse.h, where they
 * are defined (names kept so the two can be compared).  The flow they
 * serve is in fs/fuse/dev_uring.c: fuse_uring_register(),
 * fuse_uring_commit_fetch(), fuse_uring_args_to_ring().
 */
#ifndef ACCESSFS_FUSE_URING_ABI_H
#define ACCESSFS_FUSE_URING_ABI_H

#include <stdint.h>

/* INIT flag, bit 41: in flags2 (bit 9) with FUSE_INIT_EXT set in flags. */
#ifndef FUSE_OVER_IO_URING
#define FUSE_OVER_IO_URING	(1ULL << 41)
#endif

/* Sizes of the two fixed areas at the start of the header buffer. */
#define FUSE_URING_IN_OUT_HEADER_SZ	128
#define FUSE_URING_OP_IN_OUT_SZ		128

/* The trailer of the header buffer: written by the kernel with a request,
 * by the daemon with its reply. */
struct fuse_uring_ent_in_out {
	uint64_t flags;
	uint64_t commit_id;	/* the request's unique, echoed on commit */
	uint32_t payload_sz;	/* bytes used in the payload buffer */
	uint32_t padding;
	uint64_t reserved;
};

/* iov[0] of a REGISTER: in_out holds struct fuse_in_header on fetch and
 * struct fuse_out_header on commit; op_in the request's first argument
 * (the per-opcode struct, empty for LOOKUP, UNLINK and the like). */
struct fuse_uring_req_header {
	char in_out[FUSE_URING_IN_OUT_HEADER_SZ];
	char op_in[FUSE_URING_OP_IN_OUT_SZ];
	struct fuse_uring_ent_in_out ring_ent_in_out;
};

/* sqe->cmd_op of an IORING_OP_URING_CMD on /dev/fuse. */
enum fuse_uring_cmd {
	FUSE_IO_URING_CMD_INVALID = 0,
	FUSE_IO_URING_CMD_REGISTER = 1,		/* hand in one entry's buffers */
	FUSE_IO_URING_CMD_COMMIT_AND_FETCH = 2,	/* reply, then wait for the next */
};

/* In the 80-byte command area of a 128-byte SQE (IORING_SETUP_SQE128). */
struct fuse_uring_cmd_req {
	uint64_t flags;
	uint64_t commit_id;	/* COMMIT_AND_FETCH: the unique being answered */
	uint16_t qid;		/* the queue: one per possible CPU */
	uint8_t padding[6];
};

#endif /* ACCESSFS_FUSE_URING_ABI_H */
