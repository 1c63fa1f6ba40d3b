"""The chapter's dataset, a list of (image, target) pairs made by zip, and its DataLoader
(torch's, which like fastai's does not shuffle unless told)."""

from __future__ import annotations

import string

import torch
from torch.utils.data import DataLoader


# --8<-- [start:dataset]
def dataset(
    x: torch.Tensor,
    y: torch.Tensor,
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Return the pairs (image, target): dset[0] is the first image and its
    target."""
    return list(zip(x, y, strict=True))


# --8<-- [end:dataset]


# --8<-- [start:dataloader]
def training_batches(dset: list, batch_size: int = 256) -> DataLoader:
    """Return mini-batches (xb, yb) in the dataset's order, the same every
    epoch: the chapter's DataLoader(dset, batch_size=256) does not shuffle."""
    return DataLoader(dset, batch_size=batch_size)


# --8<-- [end:dataloader]


# --8<-- [start:shuffle]
def shuffled_batches(
    collection,
    batch_size: int,
    generator: torch.Generator,
) -> list:
    """Return one epoch of mini-batches, in a new random order."""
    # shuffle=True: a new order every epoch,
    # so no batch is all 3s or all 7s
    dl = DataLoader(
        collection,
        batch_size=batch_size,
        shuffle=True,
        generator=generator,
    )
    return list(dl)


def letters() -> list[tuple[int, str]]:
    """Return (0, 'a'), (1, 'b'), ...: a dataset of pairs, like (x, y)."""
    # the chapter's L(...) is fastai's list;
    # a plain list does the same here
    return list(enumerate(string.ascii_lowercase))


# --8<-- [end:shuffle]
