"""CRNN for 32-px-high text lines: conv stack (x stride 4) -> 2-layer BiLSTM -> per-frame classes (CTC)."""

from __future__ import annotations

import torch
from torch import nn


def _conv(cin: int, cout: int) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class CRNN(nn.Module):
    def __init__(
        self, n_classes: int, hidden: int = 160, channels: tuple[int, ...] = (32, 64, 128, 128, 256, 256)
    ) -> None:
        super().__init__()
        c1, c2, c3, c4, c5, c6 = channels
        self.cnn = nn.Sequential(
            *_conv(1, c1),
            nn.MaxPool2d(2, 2),  # 16 x W/2
            *_conv(c1, c2),
            nn.MaxPool2d(2, 2),  # 8 x W/4
            *_conv(c2, c3),
            *_conv(c3, c4),
            nn.MaxPool2d((2, 1), (2, 1)),  # 4 x W/4
            *_conv(c4, c5),
            *_conv(c5, c6),
            nn.MaxPool2d((2, 1), (2, 1)),  # 2 x W/4
            nn.Conv2d(c6, c6, (2, 1), bias=False),
            nn.BatchNorm2d(c6),
            nn.ReLU(inplace=True),  # 1 x W/4
        )
        self.rnn = nn.LSTM(c6, hidden, num_layers=2, bidirectional=True, batch_first=True, dropout=0.1)
        self.dropout = nn.Dropout(0.1)
        self.fc = nn.Linear(2 * hidden, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (N, 1, 32, W) -> logits (N, W/4, n_classes)."""
        f = self.cnn(x).squeeze(2).transpose(1, 2)  # N, T, C
        # the recurrent part and the classifier run in fp32 even under autocast (bf16 on a GPU)
        with torch.autocast(device_type=x.device.type, enabled=False):
            f, _ = self.rnn(f.float())
            return self.fc(self.dropout(f))


ARCHS: dict[str, dict] = {
    "base": {"hidden": 160, "channels": (32, 64, 128, 128, 256, 256)},
    "tiny": {"hidden": 32, "channels": (8, 16, 32, 32, 32, 32)},  # smoke tests only
}


def build(arch: str, n_classes: int) -> CRNN:
    return CRNN(n_classes, **ARCHS[arch])


class CRNNExport(nn.Module):
    """The exported graph: softmax probabilities (N, T, n_classes)."""

    def __init__(self, model: CRNN) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.model(x), dim=-1)
