"""Writes ResNet-50-shaped PyTorch checkpoints (a state dict of the real layer names and shapes,
random float32 weights, about 100 MB): the zip layout torch.save writes today, and the legacy
(pre-1.6, pickle-stream) layout with _use_new_zipfile_serialization=False.

Usage: python3 make_torch.py OUT.pt zip|legacy   (needs python3 torch)
"""
import sys
from collections import OrderedDict

import torch


def resnet50_state_dict():
    generator = torch.Generator().manual_seed(0)
    state = OrderedDict()

    def conv(name, out_channels, in_channels, kernel):
        state[f"{name}.weight"] = torch.randn(out_channels, in_channels, kernel, kernel, generator=generator) * 0.05

    def norm(name, channels):
        state[f"{name}.weight"] = torch.ones(channels)
        state[f"{name}.bias"] = torch.zeros(channels)
        state[f"{name}.running_mean"] = torch.randn(channels, generator=generator) * 0.1
        state[f"{name}.running_var"] = torch.rand(channels, generator=generator) + 0.5
        state[f"{name}.num_batches_tracked"] = torch.tensor(0)

    conv("conv1", 64, 3, 7)
    norm("bn1", 64)
    in_channels = 64
    for layer, (width, blocks) in enumerate([(64, 3), (128, 4), (256, 6), (512, 3)], start=1):
        for block in range(blocks):
            prefix = f"layer{layer}.{block}"
            conv(f"{prefix}.conv1", width, in_channels, 1)
            norm(f"{prefix}.bn1", width)
            conv(f"{prefix}.conv2", width, width, 3)
            norm(f"{prefix}.bn2", width)
            conv(f"{prefix}.conv3", width * 4, width, 1)
            norm(f"{prefix}.bn3", width * 4)
            if block == 0:
                conv(f"{prefix}.downsample.0", width * 4, in_channels, 1)
                norm(f"{prefix}.downsample.1", width * 4)
            in_channels = width * 4
    state["fc.weight"] = torch.randn(1000, 2048, generator=generator) * 0.02
    state["fc.bias"] = torch.zeros(1000)
    return state


if __name__ == "__main__":
    out, layout = sys.argv[1], sys.argv[2]
    torch.save(resnet50_state_dict(), out, _use_new_zipfile_serialization=(layout == "zip"))
